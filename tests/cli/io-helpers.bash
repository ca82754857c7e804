# Helpers shared by the I/O workload tests (t300-disk.bats, t300-net.bats): running a benchmark in the
# background with the default handling of SIGINT, and waiting for processes to go.
# The variables set here (BIN, BG_STATUS, FAKE_PID, FAKE_PORT) are read by the tests.
# shellcheck disable=SC2034

BIN="$BATS_TEST_DIRNAME/../../bin"

# Starts a command in the background with SIGINT and SIGTERM at their defaults: a shell
# without job control starts background commands with SIGINT ignored, which the
# benchmark (rightly) keeps ignoring. Sets BG_PID.
start_bg() {
    local out=$1
    shift
    perl -e '$SIG{INT} = "DEFAULT"; $SIG{TERM} = "DEFAULT"; exec @ARGV or die "exec: $!"' \
        "$@" >"$out" 2>&1 &
    BG_PID=$!
}

# Waits up to $1 seconds for the command in the other arguments to succeed.
wait_until() {
    local limit=$1 k
    shift
    for ((k = 0; k < limit * 20; k++)); do
        if "$@"; then
            return 0
        fi
        sleep 0.05
    done
    return 1
}

# True when folder $1 exists and holds something.
has_files() {
    [ -n "$(ls -A "$1" 2>/dev/null)" ]
}

# True when file $1 is not empty.
not_empty() {
    [ -s "$1" ]
}

# The run scratch folders under the project's results/, one a line.
scratch_dirs() {
    local d
    for d in "$BIN"/../results/scratch-*; do
        if [ -e "$d" ]; then echo "$d"; fi
    done
}

# True when process $1 has ended: no such process, or a zombie waiting to be reaped.
gone() {
    [ ! -e "/proc/$1" ] || [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" = Z ]
}

# Kills process $1 if it is still a bench-netserver (a failed test must not leave one
# behind holding bats's output open).
kill_server() {
    if [ -n "$1" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = bench-netserver ]; then
        kill -9 "$1"
    fi
}

# Waits for the background command and sets BG_STATUS to its exit status (not in a
# subshell: only the shell that started it can wait for it).
wait_bg() {
    BG_STATUS=0
    wait "$BG_PID" || BG_STATUS=$?
    BG_PID=
}

# Starts tests/cli/fake-server.pl in mode $1; sets FAKE_PID and FAKE_PORT.
start_fake() {
    local out="$BATS_TEST_TMPDIR/fake.$1"
    perl "$BATS_TEST_DIRNAME/fake-server.pl" "$1" >"$out" &
    FAKE_PID=$!
    wait_until 5 not_empty "$out"
    FAKE_PORT=$(head -n 1 "$out")
}
