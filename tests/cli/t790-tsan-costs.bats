#!/usr/bin/env bats
# ThreadSanitizer on the cost workloads in bench-pthread: quiet on every synchronised
# contention mode, every noop construct and memory. The racy mode is left out of the
# quiet runs because its data race is the point of it; one test checks that TSan does
# report that race, so the quiet runs are known to be watched.

# shellcheck disable=SC2154 # bats' run --separate-stderr sets $stderr
bats_require_minimum_version 1.5.0

setup() {
    cd "$BATS_TEST_DIRNAME/../.." || return 1
    [ -x bin/tsan/bench-pthread ] || skip "bin/tsan/bench-pthread is not built (make tsan)"
    export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
}

# Runs bench-pthread under TSan; fails on a report or a failed run.
quiet() {
    run --separate-stderr bin/tsan/bench-pthread "$@"
    if [ "$status" -ne 0 ] || [[ "$stderr" == *"ThreadSanitizer"* ]]; then
        echo "bench-pthread $*: exit $status"
        echo "$stderr" | head -40
        return 1
    fi
}

@test "tsan: contention mutex, atomic and reduction are race-free at 2 and 8 threads" {
    for m in mutex atomic reduction; do
        for t in 2 8; do
            quiet contention -t $t -n 32 -r 2 -p mode=$m -p incs=300
            quiet contention -t $t -n 32 -r 1 -s dynamic,1 -p mode=$m -p incs=300
        done
    done
}

@test "tsan: every noop construct is race-free" {
    for c in region parfor parfor-runtime barrier for task forkjoin create; do
        quiet noop -t 3 -r 2 -p construct=$c -p rounds=100 -p samples=2
        quiet noop -t 2 -r 1 -s guided -p construct=$c -p rounds=100 -p samples=2
    done
}

@test "tsan: the pool's waits are race-free when passive and when spinning" {
    for env in OMP_WAIT_POLICY=passive BENCH_SPINCOUNT=10 OMP_WAIT_POLICY=active; do
        run --separate-stderr env "$env" bin/tsan/bench-pthread noop -t 4 -r 1 \
            -p construct=task -p rounds=3000 -p samples=2
        [ "$status" -eq 0 ]
        [[ "$stderr" != *ThreadSanitizer* ]]
    done
}

@test "tsan: memory is race-free" {
    quiet memory -t 2 -r 2 -p mib=4
    quiet memory -t 3 -n 7 -r 1 -s dynamic -p mib=4
}

@test "tsan: racy is reported, which is why the quiet runs leave it out" {
    run --separate-stderr bin/tsan/bench-pthread contention -t 2 -n 4 -r 1 -p mode=racy -p incs=20000
    [ "$status" -eq 66 ]
    [[ "$stderr" == *"data race"* ]]
}
