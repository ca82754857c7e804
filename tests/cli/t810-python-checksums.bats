#!/usr/bin/env bats
# bench-python's tasks produce what the C builds' tasks produce: for the same workload and
# parameters, the same checksum as bench-seq under every Python backend, thread count,
# schedule and kernel, and every row verified. The Python reimplementations (the cpu
# chain, the I/O byte pattern, the fold) are checked here against the C originals.

load helpers

# The checksum/verified pairs bench-seq gives, then those of every Python run, distinct;
# PY_ONLY is one more -p assignment that only the Python runs get.
same_as_c() {
    local workload=$1; shift
    {
    "$ROOT/bin/bench-seq" "$workload" -r 1 -w 0 "$@" | awk -F, 'NR > 1 { print $11, $12 }'
    for b in "${PY_BINS[@]}"; do
        for t in 1 3; do
            for s in static dynamic,3 guided; do
                "$ROOT/bin/bench-$b" "$workload" -t "$t" -s "$s" -r 2 -w 0 "$@" -p "$PY_ONLY" |
                    awk -F, 'NR > 1 { print $11, $12 }'
            done
        done
    done
    } | sort -u
}

# One line, verified.
one_verified() {
    if [ "$(echo "$1" | wc -l)" -ne 1 ] || [ "${1##* }" != "1" ]; then
        echo "$1"
        return 1
    fi
}

@test "sleep: bench-seq's checksum" {
    result=$(PY_ONLY="ms=1" same_as_c sleep -n 13 -p ms=1)
    one_verified "$result"
}

@test "cpu (uniform, linear, random), kernel=python: bench-seq's checksum" {
    for skew in uniform linear random; do
        result=$(PY_ONLY="kernel=python" same_as_c cpu -n 17 -p work=20000 -p skew=$skew)
        one_verified "$result"
    done
}

@test "cpu kernel=c (the C task through ctypes): bench-seq's checksum" {
    for skew in uniform random; do
        result=$(PY_ONLY="kernel=c" same_as_c cpu -n 17 -p work=20000 -p skew=$skew)
        one_verified "$result"
    done
}

@test "different parameters give different checksums" {
    a=$("$ROOT/bin/bench-python" cpu -n 5 -r 1 -p work=100 | awk -F, 'NR == 2 { print $11 }')
    b=$("$ROOT/bin/bench-python" cpu -n 5 -r 1 -p work=101 | awk -F, 'NR == 2 { print $11 }')
    [ -n "$a" ] && [ "$a" != "$b" ]
}

@test "disk (real files, fsync) and net (real TCP to bench-netserver): bench-seq's checksum" {
    dir=$(mktemp -d "$BATS_TEST_TMPDIR/disk.XXXXXX")
    result=$(PY_ONLY="dir=$dir" same_as_c disk -n 9 -p kib=12)
    one_verified "$result"
    [ -z "$(ls -A "$dir")" ]
    result=$(PY_ONLY="kib=3" same_as_c net -n 9 -p latency_ms=1 -p kib=3)
    one_verified "$result"
}

@test "memory, kernel=python and kernel=c, one pass and three: bench-seq's checksum" {
    for passes in 1 3; do
        result=$(PY_ONLY="kernel=python" same_as_c memory -n 7 -p mib=1 -p passes=$passes)
        one_verified "$result"
        for b in python-seq python-threads; do
            "$ROOT/bin/bench-$b" memory -t 2 -n 7 -p mib=1 -p passes=$passes -p kernel=c -r 2 |
                awk -F, -v want="$(echo "$result" | cut -d' ' -f1)" 'NR > 1 && ($11 != want || $12 != 1) { exit 1 }'
        done
    done
}

@test "contention mutex and reduction, and noop: bench-seq's checksum" {
    result=$(PY_ONLY="mode=mutex" same_as_c contention -n 6 -p mode=mutex -p incs=50)
    one_verified "$result"
    # The C builds have no reduction of Python's kind, but the same total.
    red=$(PY_ONLY="mode=reduction" same_as_c contention -n 6 -p mode=mutex -p incs=50)
    [ "$red" = "$result" ]
    result=$(PY_ONLY="construct=task" same_as_c noop -p construct=task -p rounds=20 -p samples=3)
    one_verified "$result"
    result=$(PY_ONLY="construct=forkjoin" same_as_c noop -p construct=forkjoin -p rounds=5 -p samples=2)
    one_verified "$result"
}

@test "bench-summary reads bench-python's rows as one more backend" {
    csv="$BATS_TEST_TMPDIR/results.csv"
    "$ROOT/bin/bench-python-seq" sleep -n 4 -r 3 -p ms=1 >"$csv"
    "$ROOT/bin/bench-python-threads" sleep -t 2 -n 4 -r 3 -p ms=1 | tail -n +2 >>"$csv"
    "$ROOT/bin/bench-python-processes" sleep -t 2 -n 4 -r 3 -p ms=1 | tail -n +2 >>"$csv"
    run_split "$ROOT/bin/bench-summary" --cores 2 "$csv"
    [ "$status" -eq 0 ]
    for b in "${PY_BINS[@]}"; do
        awk -F, -v b="$b" 'NR > 1 && $2 == b && $9 == 3 && $(NF - 1) == "ok" { found = 1 } END { exit !found }' "$out"
    done
}
