#!/usr/bin/env bats
# A run survives how it is started and stopped: the suite path however written, a runner
# killed with its whole process group, a Ctrl-C in its first second. Each time the same
# command finishes the one run folder. Timings here only decide where an interruption
# lands; every assertion holds wherever it lands.

load helpers

setup() {
    cd "$BATS_TEST_DIRNAME/../.." || return 1
    root=$PWD
    res="$BATS_TEST_TMPDIR/results"
    export BENCH_FOREIGN_LIMIT=10 # nothing re-run because the machine is busy
    sid=''
}

teardown() {
    # whatever a failed test left running in the session it made, and nothing else
    if [ -n "$sid" ]; then pkill -KILL -s "$sid" || true; fi
}

runs() { find "$res" -mindepth 1 -maxdepth 1 ! -name latest | wc -l; }

wait_for() { # up to 20 s for a condition
    for _ in $(seq 200); do
        if eval "$1"; then return 0; fi
        sleep 0.1
    done
    return 1
}

# Starts the runner on suite path $1 and interrupts it once $2 visits are whole.
interrupt_at() {
    interrupt_runner INT "[ \"\$(cat \"\$res\"/*/done.txt 2>/dev/null | wc -l)\" -ge $2 ]" \
        --results "$res" "$1"
}

@test "a relative and an absolute suite path resume the same run" {
    printf 'sleep ms=40 tasks=2 threads=1,2,3 backends=seq,pthread,omp reps=2 warmup=0\n' >"$BATS_TEST_TMPDIR/k.suite"
    cd "$BATS_TEST_TMPDIR"
    mkdir sub
    interrupt_at k.suite 1
    [ "$status" -eq 130 ]
    interrupt_at "$BATS_TEST_TMPDIR/k.suite" 3
    [ "$status" -eq 130 ]
    grep -q "resuming $(readlink "$res/latest")" "$BATS_TEST_TMPDIR/out"
    run "$root/scripts/bench" --no-build --results "$res" ./sub/../k.suite
    [ "$status" -eq 0 ]
    [[ $output == *"resuming $(readlink "$res/latest")"* ]]
    [ "$(runs)" -eq 1 ]
    [ "$(cat "$res/latest/state")" = complete ]
}

@test "a runner killed with its process group leaves a lock the next start takes over" {
    printf 'sleep ms=700 tasks=2 threads=2 backends=seq,pthread reps=1 warmup=0\n' >"$BATS_TEST_TMPDIR/g.suite"
    # the runner in a session of its own, whose processes are this test's and no one else's
    setsid "$root/scripts/bench" --no-build --results "$res" "$BATS_TEST_TMPDIR/g.suite" >/dev/null 2>&1 &
    pid=$! sid=$!
    # a visit running (ms=700: not one of the runner's one-task probes at its start)
    # shellcheck disable=SC2016 # wait_for evaluates it
    wait_for '[ -n "$(pgrep -s "$sid" -f "bench-[a-z]* sleep .*ms=700")" ]'
    [ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ] # its own group, as a terminal gives it
    kill -KILL -- "-$pid"
    # the visit runs in a group of its own, under timeout: it outlives the runner
    [ -n "$(pgrep -s "$sid" -f "bench-[a-z]* sleep .*ms=700")" ]
    run "$root/scripts/bench" --no-build --results "$res" "$BATS_TEST_TMPDIR/g.suite"
    [ "$status" -eq 0 ]
    [[ $output == *"was left by runner $pid, which is gone; taking it over"* ]]
    [[ $output == *"stopped its visit still running (process group "* ]]
    [ -z "$(pgrep -s "$sid")" ]
    [ "$(runs)" -eq 1 ]
    d=$(readlink -f "$res/latest")
    [ "$(cat "$d/state")" = complete ]
    [ "$(($(wc -l <"$d/results.csv") - 1))" -eq 2 ]
    [ ! -s "$d/.lock" ] # a runner that ends in order leaves no owner
}

@test "Ctrl-C at 0.1, 0.3 and 0.6 s, or SIGKILL at 0.3 s, then the same command: one run folder" {
    printf 'sleep ms=50 tasks=2 threads=1,2 backends=seq,pthread,omp reps=3 warmup=0\n' >"$BATS_TEST_TMPDIR/c.suite"
    for how in INT:0.1 INT:0.3 INT:0.6 KILL:0.3; do
        rm -rf "$res"
        env --default-signal=INT "$root/scripts/bench" --no-build --results "$res" "$BATS_TEST_TMPDIR/c.suite" >/dev/null 2>&1 &
        pid=$!
        sleep "${how#*:}"
        kill "-${how%:*}" "$pid"
        status=0
        wait "$pid" || status=$?
        echo "# $how: exit $status, $(find "$res" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l) entries" >&3
        [ "$status" -eq 130 ] || [ "$status" -eq 137 ]
        run "$root/scripts/bench" --no-build --results "$res" "$BATS_TEST_TMPDIR/c.suite"
        [ "$status" -eq 0 ]
        [ "$(runs)" -eq 1 ]
        [ "$(cat "$res/latest/state")" = complete ]
        [ "$(($(wc -l <"$res/latest/results.csv") - 1))" -eq 15 ]
    done
}
