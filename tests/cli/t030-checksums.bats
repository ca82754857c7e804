#!/usr/bin/env bats
# The same workload and parameters give the same checksum under every binary, thread
# count and schedule, and every row says verified.

load helpers

# Prints the distinct checksum/verified pairs of the runs given as extra arguments.
checksums() {
    local workload=$1; shift
    for b in "${BINS[@]}"; do
        for t in 1 2 5; do
            for s in static dynamic,3 guided; do
                "$ROOT/bin/bench-$b" "$workload" -t "$t" -s "$s" -r 2 -w 0 "$@" |
                    awk -F, 'NR > 1 { print $11, $12 }'
            done
        done
    done | sort -u
}

@test "sleep: one checksum across binaries, threads and schedules" {
    result=$(checksums sleep -n 13 -p ms=1)
    [ "$(echo "$result" | wc -l)" -eq 1 ]
    [ "${result##* }" = "1" ]
}

@test "cpu uniform: one checksum across binaries, threads and schedules" {
    result=$(checksums cpu -n 17 -p work=20000)
    [ "$(echo "$result" | wc -l)" -eq 1 ]
    [ "${result##* }" = "1" ]
}

@test "cpu skewed (linear and random): one checksum each" {
    for skew in linear random; do
        result=$(checksums cpu -n 17 -p work=20000 -p skew=$skew)
        [ "$(echo "$result" | wc -l)" -eq 1 ]
        [ "${result##* }" = "1" ]
    done
}

@test "different parameters give different checksums" {
    a=$(checksums cpu -n 5 -p work=100)
    b=$(checksums cpu -n 5 -p work=101)
    c=$(checksums cpu -n 6 -p work=100)
    [ "$a" != "$b" ]
    [ "$a" != "$c" ]
}

@test "1024 threads run sleep-bound tasks and verify" {
    for b in pthread omp; do
        run_split "$ROOT/bin/bench-$b" sleep -t 1024 -n 1024 -r 1 -w 0 -p ms=20
        [ "$status" -eq 0 ]
        [ "$(awk -F, 'NR == 2 { print $3, $12 }' "$out")" = "1024 1" ]
    done
}
