#!/usr/bin/env bats
# bench-pthread built with ThreadSanitizer: the pool and the harness run sleep- and
# CPU-bound work with every schedule, including more threads than cores, and TSan stays
# quiet. (The racy contention mode is excluded by design: its race is the point.)

load helpers

TSAN_BIN="$ROOT/bin/tsan/bench-pthread"

tsan_run() {
    run_split env TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$TSAN_BIN" "$@"
    if [ "$status" -ne 0 ] || grep -q ThreadSanitizer "$err"; then
        echo "status $status: $TSAN_BIN $*"
        head -n 40 "$err"
        return 1
    fi
}

@test "tsan: cpu with every schedule on 2, 3 and 8 threads" {
    for t in 2 3 8; do
        for s in static static,2 dynamic dynamic,5 guided guided,3; do
            tsan_run cpu -t "$t" -s "$s" -n 50 -r 3 -w 1 -p work=2000 -p skew=random
        done
    done
}

@test "tsan: sleep with 64 threads, many short repetitions" {
    tsan_run sleep -t 64 -n 200 -r 20 -w 1 -p ms=0
}

@test "tsan: zero and one task, one thread" {
    tsan_run sleep -t 4 -n 0 -r 3 -p ms=0
    tsan_run sleep -t 4 -n 1 -r 3 -p ms=0
    tsan_run cpu -t 1 -n 10 -r 3 -p work=100
}
