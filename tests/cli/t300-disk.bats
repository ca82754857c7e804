#!/usr/bin/env bats
# The disk workload on real files: same checksum in every build, exit 2 for a bad folder,
# exit 1 for a failed write, and no file of the run left after success, failure, SIGINT
# or SIGTERM.

load io-helpers

setup() {
    DIR=$(mktemp -d "$BATS_TEST_TMPDIR/disk.XXXXXX")
}

teardown() {
    chmod -R u+w "$DIR" 2>/dev/null || true
    [ -z "${BG_PID:-}" ] || kill -9 "$BG_PID" 2>/dev/null || true
}

checksum_of() {
    cut -d, -f11 | sed -n 2p
}

@test "disk: the same checksum under seq, pthread and omp, any thread count, fsync or not" {
    local ref sum
    ref=$("$BIN/bench-seq" disk -n 24 -r 1 -w 0 -p kib=12 -p "dir=$DIR" | checksum_of)
    [ -n "$ref" ]
    for cmd in "bench-pthread -t 1" "bench-pthread -t 3" "bench-pthread -t 8 -s dynamic" \
               "bench-omp -t 2" "bench-omp -t 5 -s guided" "bench-seq"; do
        # shellcheck disable=SC2086 # the binary and its flags are meant to split
        sum=$("$BIN"/$cmd disk -n 24 -r 1 -w 0 -p kib=12 -p "dir=$DIR" -p fsync=0 | checksum_of)
        [ "$sum" = "$ref" ] || { echo "$cmd: $sum != $ref"; return 1; }
    done
    sum=$("$BIN/bench-omp" -t 3 disk -n 24 -r 1 -p kib=12 | checksum_of)
    [ "$sum" = "$ref" ]
}

@test "disk: a different size gives a different checksum" {
    a=$("$BIN/bench-seq" disk -n 4 -r 1 -p kib=12 -p "dir=$DIR" | checksum_of)
    b=$("$BIN/bench-seq" disk -n 4 -r 1 -p kib=13 -p "dir=$DIR" | checksum_of)
    [ -n "$a" ] && [ "$a" != "$b" ]
}

@test "disk: every row is verified and names the folder's filesystem type" {
    run "$BIN/bench-pthread" -t 4 disk -n 16 -r 3 -p kib=8 -p "dir=$DIR"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 4 ]
    fs=$(findmnt -n -o FSTYPE --target "$DIR")
    for row in "${lines[@]:1}"; do
        [ "$(echo "$row" | cut -d, -f12)" = 1 ]
        [[ "$(echo "$row" | cut -d, -f15)" == "fs=$fs;steal_s="* ]]
    done
}

@test "disk: the folder is empty after a normal run, and the default scratch folder is gone" {
    "$BIN/bench-omp" -t 4 disk -n 40 -r 2 -p kib=16 -p "dir=$DIR" >/dev/null
    [ -z "$(ls -A "$DIR")" ]
    start_bg "$BATS_TEST_TMPDIR/out" "$BIN/bench-pthread" -t 4 disk -n 40 -r 2 -p kib=16
    pid=$BG_PID
    wait_bg
    [ "$BG_STATUS" -eq 0 ]
    [ ! -e "$BIN/../results/scratch-$pid" ]
}

@test "disk: a folder that does not exist, is a file or is read-only: exit 2 naming it" {
    run "$BIN/bench-seq" disk -p "dir=$DIR/none"
    [ "$status" -eq 2 ]
    [ "${#lines[@]}" -eq 1 ]
    [[ $output == *"-p dir: $DIR/none"* ]]
    touch "$DIR/file"
    run "$BIN/bench-omp" disk -p "dir=$DIR/file"
    [ "$status" -eq 2 ]
    [[ $output == *"$DIR/file is not a folder"* ]]
    rm "$DIR/file"
    # Root writes into a read-only folder anyway, so the check runs as an ordinary user,
    # in a folder every user can reach.
    ro=$(mktemp -d /tmp/bench-ro.XXXXXX)
    chmod 555 "$ro"
    if [ "$(id -u)" -eq 0 ]; then
        run setpriv --reuid=65534 --regid=65534 --clear-groups \
            "$BIN/bench-pthread" -t 2 disk -p "dir=$ro"
    else
        run "$BIN/bench-pthread" -t 2 disk -p "dir=$ro"
    fi
    left=$(ls -A "$ro")
    rmdir "$ro"
    [ "$status" -eq 2 ]
    [[ $output == *"-p dir: $ro is not writable"* ]]
    [ -z "$left" ]
}

@test "disk: a write that fails mid-run: exit 1 with the path and the error, no file left" {
    # A file size limit makes the real write() fail with EFBIG once a file passes 16 KiB,
    # after other tasks' files exist.
    run bash -c 'ulimit -f 16; trap "" XFSZ; exec "$0" -t 4 disk -n 64 -r 1 -p kib=64 -p "dir=$1"' \
        "$BIN/bench-pthread" "$DIR"
    [ "$status" -eq 1 ]
    [[ $output == *"disk: write $DIR/bench-disk-"*": File too large"* ]]
    [ -z "$(ls -A "$DIR")" ]
    before=$(scratch_dirs)
    run bash -c 'ulimit -f 16; trap "" XFSZ; exec "$0" -t 3 disk -n 64 -r 1 -p kib=64' \
        "$BIN/bench-omp"
    [ "$status" -eq 1 ]
    [[ $output == *"/results/scratch-"*"File too large"* ]]
    [ "$(scratch_dirs)" = "$before" ]
}

# Starts a long disk run, waits until it has files on disk, sends signal $2, and checks
# the exit status says so and nothing of the run is left.
interrupt_run() {
    local bin=$1 sig=$2 want=$3
    start_bg "$BATS_TEST_TMPDIR/out" "$BIN/$bin" -t 4 disk -n 100000 -r 1 -w 0 \
        -p kib=256 -p "dir=$DIR"
    wait_until 10 has_files "$DIR"
    kill "-$sig" "$BG_PID"
    wait_bg
    [ "$BG_STATUS" -eq "$want" ] || { cat "$BATS_TEST_TMPDIR/out"; return 1; }
    [ -z "$(ls -A "$DIR")" ] || { ls -la "$DIR"; return 1; }
}

@test "disk: SIGINT in the middle of a run leaves no file (pthread, omp, seq)" {
    interrupt_run bench-pthread INT 130
    interrupt_run bench-omp INT 130
    interrupt_run bench-seq INT 130
}

@test "disk: SIGTERM in the middle of a run leaves no file" {
    interrupt_run bench-omp TERM 143
    interrupt_run bench-pthread TERM 143
}

@test "disk: SIGINT removes the default scratch folder too" {
    start_bg "$BATS_TEST_TMPDIR/out" "$BIN/bench-omp" -t 4 disk -n 100000 -r 1 -w 0 -p kib=256
    scratch="$BIN/../results/scratch-$BG_PID"
    wait_until 10 has_files "$scratch"
    kill -INT "$BG_PID"
    wait_bg
    [ "$BG_STATUS" -eq 130 ]
    [ ! -e "$scratch" ]
}

@test "disk: a reader that goes away (SIGPIPE) leaves no scratch folder" {
    before=$(scratch_dirs)
    run bash -c '"$0" -t 2 disk -n 16 -r 200 -p kib=16 | head -n 1' "$BIN/bench-pthread"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 1 ]
    [ "$(scratch_dirs)" = "$before" ]
}
