#!/usr/bin/env bats
# The result rows: the design's columns in order, one row per measured repetition
# (warm-ups not printed), flushed as each ends; JSON and human formats.

load helpers

HEADER=workload,backend,threads,tasks,schedule,bind,params,rep,wall_s,cpu_s,checksum,verified,runtime,placement,metrics,disturbed

@test "CSV header and one row per measured repetition, every field comma- and quote-free" {
    for b in "${BINS[@]}"; do
        run_split "$ROOT/bin/bench-$b" cpu -t 2 -n 8 -r 3 -w 2 -p work=1000 -s dynamic,2
        [ "$status" -eq 0 ]
        [ "$(head -n1 "$out")" = "$HEADER" ]
        [ "$(wc -l <"$out")" -eq 4 ]
        # 16 fields on every row, no quotes, reps numbered 1..3
        awk -F, 'NR > 1 && (NF != 16 || /"/) { exit 1 }' "$out"
        [ "$(awk -F, 'NR > 1 { printf "%s", $8 }' "$out")" = "123" ]
        awk -F, -v b="$b" 'NR > 1 && ($1 != "cpu" || $2 != b || $4 != 8 || $7 != "work=1000;skew=uniform" || $12 != 1) { exit 1 }' "$out"
    done
}

@test "backend, threads, schedule and runtime columns say what ran" {
    run_split "$ROOT/bin/bench-pthread" sleep -t 3 -n 6 -r 1 -p ms=1 -s guided,2
    [ "$(awk -F, 'NR == 2 { print $2, $3, $5, $13 }' "$out")" = "pthread 3 guided:2 pool" ]
    run_split "$ROOT/bin/bench-omp" sleep -t 3 -n 6 -r 1 -p ms=1 -s dynamic
    [ "$(awk -F, 'NR == 2 { print $2, $3, $5 }' "$out")" = "omp 3 dynamic" ]
    awk -F, 'NR == 2 && $13 !~ /^libgomp-[0-9]/ { exit 1 }' "$out"
}

@test "OMP_NUM_THREADS (first item of a list) and OMP_SCHEDULE are honoured by the pool too" {
    for b in pthread omp; do
        run_split env OMP_NUM_THREADS=3,2 OMP_SCHEDULE=guided,4 "$ROOT/bin/bench-$b" sleep -n 4 -r 1 -p ms=1
        [ "$status" -eq 0 ]
        [ "$(awk -F, 'NR == 2 { print $3, $5 }' "$out")" = "3 guided:4" ]
    done
}

@test "without -t or OMP_NUM_THREADS the thread count is hwloc's processing units" {
    pus=$(hwloc-calc --number-of pu all)
    run_split env -u OMP_NUM_THREADS "$ROOT/bin/bench-pthread" sleep -n 4 -r 1 -p ms=1
    [ "$(awk -F, 'NR == 2 { print $3 }' "$out")" = "$pus" ]
}

@test "the sequential build records 1 thread and says so when asked for more" {
    run_split "$ROOT/bin/bench-seq" sleep -t 4 -n 4 -r 1 -p ms=1
    [ "$status" -eq 0 ]
    [ "$(awk -F, 'NR == 2 { print $2, $3 }' "$out")" = "seq 1" ]
    grep -q "sequential build runs 1 thread" "$err"
}

@test "each row is flushed as its repetition ends" {
    scratch=$(mktemp -d)
    "$ROOT/bin/bench-pthread" sleep -t 2 -n 2 -r 3 -w 0 -p ms=1000 >"$scratch/out" &
    pid=$!
    sleep 1.5
    rows_early=$(wc -l <"$scratch/out")
    wait "$pid"
    [ "$rows_early" -eq 2 ]   # the header and the first repetition, not yet the rest
    [ "$(wc -l <"$scratch/out")" -eq 4 ]
    rm -rf "$scratch"
}

@test "JSON: a valid array with one object per repetition" {
    run_split "$ROOT/bin/bench-omp" cpu -t 2 -n 4 -r 2 -p work=10 --format json
    [ "$status" -eq 0 ]
    python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
assert len(rows) == 2, rows
assert rows[0]["workload"] == "cpu" and rows[0]["verified"] is True
assert rows[1]["rep"] == 2 and rows[0]["checksum"] == rows[1]["checksum"]
' "$out"
}

@test "human format: a table on stdout and median, min, max on stderr" {
    run_split "$ROOT/bin/bench-pthread" sleep -t 2 -n 4 -r 3 -p ms=1 --format human
    [ "$status" -eq 0 ]
    [ "$(wc -l <"$out")" -eq 4 ]
    grep -q "median .* s, min .* s, max .* s over 3 repetitions; verified" "$err"
}

@test "human output counts in the singular when the count is one" {
    for b in "${BINS[@]}" python-seq python-threads; do
        run_split "$ROOT/bin/bench-$b" sleep -t 1 -n 1 -r 1 -w 0 -p ms=0 --format human
        [ "$status" -eq 0 ]
        grep -q ", 1 thread, 1 task, .* over 1 repetition; verified$" "$err"
        run_split "$ROOT/bin/bench-$b" sleep -t 2 -n 2 -r 2 -w 0 -p ms=0 --format human
        grep -q ", 2 tasks, .* over 2 repetitions; verified$" "$err"
        case $b in
        *seq) grep -q ", 1 thread, 2 tasks, " "$err" ;; # the sequential builds run 1
        *) grep -q ", 2 threads, 2 tasks, " "$err" ;;
        esac
        run_split "$ROOT/bin/bench-$b" --list
        grep -q '^noop (bound by runtime overhead, 1 task by default)' "$out"
        grep -q '^sleep (bound by waiting, 32 tasks by default)' "$out"
    done
}
