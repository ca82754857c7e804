#!/usr/bin/env bats
# The net workload over real TCP on 127.0.0.1: same checksum in every build, its own
# server started and stopped with the run (also on SIGINT, SIGTERM and when the client is
# killed), bounded failures for dead, silent or short servers, exit 2 for a bad address.

load io-helpers

teardown() {
    [ -z "${BG_PID:-}" ] || kill -9 "$BG_PID" 2>/dev/null || true
    [ -z "${FAKE_PID:-}" ] || kill -9 "$FAKE_PID" 2>/dev/null || true
    kill_server "${SERVER_PID:-}"
    kill_server "${spid:-}"
}

checksum_of() {
    cut -d, -f11 | sed -n 2p
}

has_server() {
    pgrep -P "$1" -x bench-netserver >/dev/null
}

# The pid of the server child of process $1, once it is there.
server_of() {
    wait_until 10 has_server "$1"
    pgrep -P "$1" -x bench-netserver
}

# The TCP port process $1 listens on (from its socket inodes and /proc/net/tcp*).
listen_port() {
    local inodes hex
    inodes=$(find "/proc/$1/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null |
        sed 's/socket:\[\([0-9]*\)\]/\1/' | paste -sd '|')
    hex=$(awk -v re="^($inodes)\$" '$4 == "0A" && $10 ~ re { split($2, a, ":"); print a[2]; exit }' \
        /proc/net/tcp /proc/net/tcp6)
    [ -n "$hex" ] && echo $((16#$hex))
}

port_closed() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

@test "net: the same checksum under seq, pthread and omp, any thread count" {
    local ref sum
    ref=$("$BIN/bench-seq" net -n 24 -r 1 -w 0 -p latency_ms=2 -p kib=12 | checksum_of)
    [ -n "$ref" ]
    for cmd in "bench-pthread -t 1" "bench-pthread -t 5" "bench-pthread -t 24 -s dynamic" \
               "bench-omp -t 3" "bench-omp -t 24 -s guided"; do
        # shellcheck disable=SC2086 # the binary and its flags are meant to split
        sum=$("$BIN"/$cmd net -n 24 -r 2 -w 1 -p latency_ms=2 -p kib=12 | checksum_of)
        [ "$sum" = "$ref" ] || { echo "$cmd: $sum != $ref"; return 1; }
    done
    other=$("$BIN/bench-seq" net -n 24 -r 1 -p latency_ms=2 -p kib=11 | checksum_of)
    [ "$other" != "$ref" ]
}

@test "net: rows are verified, and the server is gone after a normal run" {
    start_bg "$BATS_TEST_TMPDIR/out" "$BIN/bench-pthread" -t 8 net -n 64 -r 20 -p latency_ms=20
    spid=$(server_of "$BG_PID")
    port=$(listen_port "$spid")
    [ -n "$port" ]
    wait_bg
    [ "$BG_STATUS" -eq 0 ]
    grep -c ',1,pool,[^,]*,server=child;steal_s=[^,]*,[01-]$' "$BATS_TEST_TMPDIR/out" | grep -qx 20
    wait_until 5 gone "$spid"
    port_closed "$port"
}

# Starts a long run, signals it once its server is up, and checks the exit status, that
# the server process is gone and that its port is closed.
interrupt_run() {
    local bin=$1 sig=$2 want=$3
    start_bg "$BATS_TEST_TMPDIR/out" "$BIN/$bin" -t 16 net -n 1000000 -r 1 -w 0 -p latency_ms=50
    spid=$(server_of "$BG_PID")
    port=$(listen_port "$spid")
    [ -n "$port" ]
    sleep 0.3
    kill "-$sig" "$BG_PID"
    wait_bg
    [ "$BG_STATUS" -eq "$want" ] || { cat "$BATS_TEST_TMPDIR/out"; return 1; }
    wait_until 5 gone "$spid"
    port_closed "$port"
}

@test "net: SIGINT during a run stops the server and closes its port (pthread, omp, seq)" {
    interrupt_run bench-pthread INT 130
    interrupt_run bench-omp INT 130
    interrupt_run bench-seq INT 130
}

@test "net: Ctrl-C (SIGINT to the whole process group) stops the server, in its own session" {
    perl -e 'use POSIX (); POSIX::setsid(); $SIG{INT} = "DEFAULT"; exec @ARGV or die "exec: $!"' \
        "$BIN/bench-pthread" -t 16 net -n 1000000 -r 1 -w 0 -p latency_ms=50 \
        >"$BATS_TEST_TMPDIR/out" 2>&1 &
    BG_PID=$!
    spid=$(server_of "$BG_PID")
    port=$(listen_port "$spid")
    [ -n "$port" ]
    # The server has a session (and so a process group) of its own: the terminal's
    # signal reaches only the benchmark, which must stop the server itself.
    [ "$(ps -o sid= -p "$spid" | tr -d ' ')" = "$spid" ]
    sleep 0.3
    kill -INT -- "-$BG_PID"
    wait_bg
    [ "$BG_STATUS" -eq 130 ] || { cat "$BATS_TEST_TMPDIR/out"; return 1; }
    wait_until 5 gone "$spid"
    port_closed "$port"
}

@test "net: SIGTERM during a run stops the server" {
    interrupt_run bench-omp TERM 143
}

@test "net: the server exits by itself when the client is killed with SIGKILL" {
    for bin in bench-pthread bench-omp; do
        start_bg "$BATS_TEST_TMPDIR/out" "$BIN/$bin" -t 16 net -n 1000000 -r 1 -p latency_ms=50
        spid=$(server_of "$BG_PID")
        port=$(listen_port "$spid")
        sleep 0.3
        kill -KILL "$BG_PID"
        wait_bg
        [ "$BG_STATUS" -eq 137 ]
        wait_until 5 gone "$spid"
        port_closed "$port"
    done
}

@test "net: nobody listening: exit 1 naming host:port, at once" {
    SECONDS=0
    run "$BIN/bench-omp" -t 4 net -n 8 -p port=1
    [ "$status" -eq 1 ]
    [[ ${lines[-1]} == *"net: 127.0.0.1:1: connect: Connection refused"* ]]
    [ "$SECONDS" -le 3 ]
}

@test "net: a server that never answers: exit 1 within latency_ms + timeout_ms" {
    start_fake silent
    SECONDS=0
    run "$BIN/bench-pthread" -t 4 net -n 8 -p "port=$FAKE_PORT" -p latency_ms=100 -p timeout_ms=1000
    [ "$status" -eq 1 ]
    [[ ${lines[-1]} == *"net: 127.0.0.1:$FAKE_PORT: no complete reply within 1100 ms"* ]]
    [ "$SECONDS" -le 5 ]
}

@test "net: a server that closes early: exit 1 saying how much came" {
    start_fake short
    run "$BIN/bench-omp" -t 2 net -n 4 -p "port=$FAKE_PORT" -p latency_ms=0
    [ "$status" -eq 1 ]
    [[ ${lines[-1]} == *"net: 127.0.0.1:$FAKE_PORT: the server closed the connection after 100 of 4096 bytes"* ]]
}

@test "net: a server that answers before latency_ms: exit 1 saying so, at once" {
    start_fake early
    SECONDS=0
    run "$BIN/bench-pthread" -t 2 net -n 4 -p "port=$FAKE_PORT" -p latency_ms=500
    [ "$status" -eq 1 ]
    [[ ${lines[-1]} == *"net: 127.0.0.1:$FAKE_PORT: the reply came "*" ms after the request, before latency_ms=500 (task "* ]]
    [ "$SECONDS" -le 2 ]
}

@test "net: a server that dies mid-run: exit 1 naming it, no hang" {
    "$BIN/bench-netserver" >"$BATS_TEST_TMPDIR/srv" &
    SERVER_PID=$!
    wait_until 5 not_empty "$BATS_TEST_TMPDIR/srv"
    port=$(sed -n 's/^listening on port //p' "$BATS_TEST_TMPDIR/srv")
    start_bg "$BATS_TEST_TMPDIR/out" "$BIN/bench-pthread" -t 8 net -n 1000000 -r 1 \
        -p "port=$port" -p latency_ms=20 -p timeout_ms=2000
    sleep 0.5
    kill -9 "$SERVER_PID"
    SECONDS=0
    wait_bg
    [ "$BG_STATUS" -eq 1 ]
    [ "$SECONDS" -le 5 ]
    grep -q "net: 127.0.0.1:$port: " "$BATS_TEST_TMPDIR/out"
}

@test "net: an external bench-netserver gives the same checksum as the run's own" {
    "$BIN/bench-netserver" --host 127.0.0.1 >"$BATS_TEST_TMPDIR/srv" &
    SERVER_PID=$!
    wait_until 5 not_empty "$BATS_TEST_TMPDIR/srv"
    port=$(sed -n 's/^listening on port //p' "$BATS_TEST_TMPDIR/srv")
    own=$("$BIN/bench-omp" -t 4 net -n 16 -r 1 -p kib=3 | checksum_of)
    run "$BIN/bench-pthread" -t 4 net -n 16 -r 1 -p kib=3 -p "port=$port"
    [ "$status" -eq 0 ]
    [ "$(echo "${lines[1]}" | cut -d, -f11)" = "$own" ]
    [[ ${lines[1]} == *",server=external;steal_s="* ]]
}

@test "net: an unparsable host or port: exit 2 with one line naming it" {
    for host in localhost 127.0.0 ::1::2 300.1.1.1; do
        run "$BIN/bench-seq" net -p "host=$host"
        [ "$status" -eq 2 ]
        [ "${#lines[@]}" -eq 1 ]
        [[ $output == *"-p host: expected a numeric IPv4 or IPv6 address"*"'$host'"* ]]
    done
    for port in 65536 -1 http 8o; do
        run "$BIN/bench-omp" net -p "port=$port"
        [ "$status" -eq 2 ]
        [ "${#lines[@]}" -eq 1 ]
        [[ $output == *"-p port: expected an integer from 0 to 65535"* ]]
    done
}

@test "net: IPv6 loopback works when the machine has it" {
    grep -qs ' lo$' /proc/net/if_inet6 || skip "no IPv6 on lo"
    run "$BIN/bench-omp" -t 4 net -n 8 -r 1 -p host=::1 -p kib=2
    [ "$status" -eq 0 ]
    ref=$("$BIN/bench-seq" net -n 8 -r 1 -p kib=2 | checksum_of)
    [ "$(echo "${lines[1]}" | cut -d, -f11)" = "$ref" ]
}

@test "bench-netserver: bad options give one line naming them and exit 2" {
    run "$BIN/bench-netserver" --port 65536
    [ "$status" -eq 2 ]
    [ "$output" = "bench-netserver: --port: expected an integer from 0 to 65535, got '65536'" ]
    run "$BIN/bench-netserver" --host localhost
    [ "$status" -eq 2 ]
    [ "${#lines[@]}" -eq 1 ]
    [[ $output == *"localhost:0: not a numeric IPv4 or IPv6 address"* ]]
    run "$BIN/bench-netserver" --frobnicate
    [ "$status" -eq 2 ]
    [ "${#lines[@]}" -eq 1 ]
}

@test "bench-io: a bad workload, REPS or ROUNDS: exit 2 with one line naming it" {
    run "$BATS_TEST_DIRNAME/../../scripts/bench-io" nett
    [ "$status" -eq 2 ]
    [ "${#lines[@]}" -eq 1 ]
    [[ $output == *"[net|disk|all]"* ]]
    run "$BATS_TEST_DIRNAME/../../scripts/bench-io" net extra
    [ "$status" -eq 2 ]
    [ "${#lines[@]}" -eq 1 ]
    ROUNDS=0 run "$BATS_TEST_DIRNAME/../../scripts/bench-io" net
    [ "$status" -eq 2 ]
    [ "$output" = "bench-io: ROUNDS: expected a positive integer, got '0'" ]
    REPS=x run "$BATS_TEST_DIRNAME/../../scripts/bench-io" net
    [ "$status" -eq 2 ]
    [ "$output" = "bench-io: REPS: expected a positive integer, got 'x'" ]
}
