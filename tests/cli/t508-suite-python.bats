#!/usr/bin/env bats
# The Python backends in suite files: lines with python-seq, python-threads and
# python-processes (alone or beside the C backends) read their workloads and parameters
# from bench-python, are checked by its --check, run, resume and are summarised like the
# C ones; a value bench-python refuses stops the runner before anything exists.

load helpers

setup() {
    cd "$BATS_TEST_DIRNAME/../.." || return 1
    res="$BATS_TEST_TMPDIR/results"
    export BENCH_FOREIGN_LIMIT=10 # a busy machine re-runs nothing: one visit each
    sid=''
}

teardown() {
    if [ -n "$sid" ]; then pkill -KILL -s "$sid" || true; fi
}

suite() { printf '%s\n' "$@" >"$BATS_TEST_TMPDIR/t.suite"; }

col() { # the values of column $1 of CSV file $2 (header first)
    awk -F, -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) n = i; next } { print $n }' "$2"
}

@test "a line that mixes C and Python backends gives each its own parameters" {
    suite 'cpu work=2000 kernel=python,c tasks=4 threads=2 backends=seq,pthread,python-seq,python-threads'
    run scripts/bench --no-build --list "$BATS_TEST_TMPDIR/t.suite"
    [ "$status" -eq 0 ]
    # C rows once (kernel is no parameter of theirs), Python rows once per kernel
    [ "${#lines[@]}" -eq 7 ]
    [ "$(grep -c '^cpu|seq|1|4|static|none|work=2000;skew=uniform|' <<<"$output")" -eq 1 ]
    [ "$(grep -c '^cpu|pthread|2|4|static|none|work=2000;skew=uniform|' <<<"$output")" -eq 1 ]
    # python-seq is sequential, as seq is
    grep -q '^cpu|python-seq|1|4|static|none|work=2000;skew=uniform;kernel=python|' <<<"$output"
    grep -q '^cpu|python-threads|2|4|static|none|work=2000;skew=uniform;kernel=c|' <<<"$output"
    # each binary's own defaults: contention is mutex in Python, atomic in C
    suite 'contention incs=10 tasks=2 threads=2 backends=pthread,python-threads'
    run scripts/bench --no-build --list "$BATS_TEST_TMPDIR/t.suite"
    [ "$status" -eq 0 ]
    grep -q '^contention|pthread|2|2|static|none|mode=atomic;incs=10|' <<<"$output"
    grep -q '^contention|python-threads|2|2|static|none|mode=mutex;incs=10;window_ms=0|' <<<"$output"
}

@test "what bench-python refuses on a suite line stops the runner: the line, exit 2, nothing left" {
    local cases=(
        "cpu work=10 kernel=cuda threads=2 backends=python-seq,python-threads|backend python-seq: -p kernel: expected python|c, got 'cuda'"
        "contention mode=racy,atomic threads=2 backends=pthread,python-threads|backend python-threads: -p mode: expected racy|mutex|reduction, got 'atomic'"
        "memory mib=1 kernel=c threads=2 backends=python-threads,python-processes|backend python-processes: -p kernel=c: the C memory workload's arrays live in one process"
        "cpu work=10 kernel=c threads=2 backends=seq,pthread|unknown key 'kernel' (keys: threads tasks backends schedules bind reps min_reps max_reps ci warmup timeout; parameters of cpu: work skew)"
        "cpu wrok=10 backends=seq,python-seq|parameters of cpu: work skew on seq; work skew kernel on python-seq)"
    )
    for c in "${cases[@]}"; do
        suite 'sleep ms=1 tasks=2 threads=2 backends=seq,python-threads reps=1' "${c%%|*}"
        run_session "$ROOT/scripts/bench" --no-build --results "$res" "$BATS_TEST_TMPDIR/t.suite"
        # shellcheck disable=SC2154 # run_session (helpers.bash) sets them
        if [ "$status" -ne 2 ] || [ "$err_lines" -ne 1 ] || [ -s "$out" ] ||
           [ "$left_behind" -ne 0 ] || [ "$LEFT_PROCS" -ne 0 ] || [ -e "$res" ] ||
           ! grep -qF -- "$BATS_TEST_TMPDIR/t.suite:2: " "$err" || ! grep -qF -- "${c#*|}" "$err"; then
            echo "${c%%|*}: status $status, $err_lines stderr lines, $left_behind files and $LEFT_PROCS processes left"
            cat "$err"
            return 1
        fi
    done
}

@test "Python rows run, resume after Ctrl-C, and are planned and summarised like the C ones" {
    suite 'sleep ms=20 tasks=4 threads=1,2 backends=seq,pthread,python-seq,python-threads,python-processes reps=2 warmup=0' \
          'cpu work=2000 kernel=python,c tasks=4 threads=2 backends=seq,python-seq,python-threads reps=2 warmup=0'
    # interrupted once 3 visits are whole
    interrupt_runner INT '[ "$(cat "$res"/*/done.txt 2>/dev/null | wc -l)" -ge 3 ]' \
        --results "$res" "$BATS_TEST_TMPDIR/t.suite"
    [ "$status" -eq 130 ]
    [ -z "$(pgrep -s "$sid")" ] # no worker process or thread pool left
    d=$(readlink -f "$res/latest")
    [ "$(cat "$d/state")" = interrupted ]

    run scripts/bench --no-build --results "$res" "$BATS_TEST_TMPDIR/t.suite"
    [ "$status" -eq 0 ]
    [[ $output == *"resuming ${d##*/}"* ]]
    [ "$(find "$res" -mindepth 1 -maxdepth 1 ! -name latest | wc -l)" -eq 1 ]
    [ "$(cat "$d/state")" = complete ]

    # 8 sleep and 5 cpu configurations, each with its 2 rows, every row verified
    [ "$(tail -n +2 "$d/plan.csv" | wc -l)" -eq 13 ]
    [ "$(tail -n +2 "$d/results.csv" | wc -l)" -eq 26 ]
    [ "$(col verified "$d/results.csv" | sort -u)" = 1 ]
    [ "$(tail -n +2 "$d/results.csv" | cut -d, -f1-7 | sort | uniq -c | awk '$1 != 2' | wc -l)" -eq 0 ]
    # the runtime column says which Python ran, in the plan as in the rows and summary
    [ "$(grep -c '^[a-z]*,python-[a-z]*,cpython-3\.[0-9]*\.[0-9]*,' "$d/plan.csv")" -eq 9 ]
    [ "$(grep -c '^[a-z]*,python-[a-z]*,cpython-3\.[0-9]*\.[0-9]*,' "$d/summary.csv")" -eq 9 ]
    [ "$(col status "$d/summary.csv" | sort -u)" = ok ]
    [ "$(col verified "$d/summary.csv" | sort -u)" = 1 ]
    grep -q '^cpu,seq,none,1,4,static,none,work=2000;skew=uniform,' "$d/summary.csv"
    grep -q '^cpu,python-threads,cpython[^,]*,2,4,static,none,work=2000;skew=uniform;kernel=c,' "$d/summary.csv"
    # python-seq is the reference of the Python rows (speedup 1), seq of the C ones
    [ "$(awk -F, '$2 == "python-seq" || $2 == "seq"' "$d/summary.csv" | cut -d, -f20 | sort -u)" = 1.0000 ]
    python3 - "$d/summary.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
def ref(r, backend):
    return next(x for x in rows if x["backend"] == backend and x["workload"] == r["workload"]
                and x["params"] == r["params"] and x["tasks"] == r["tasks"])
for r in rows:
    if r["backend"].startswith("python-"):
        want = float(ref(r, "python-seq")["median_s"]) / float(r["median_s"])
        assert abs(float(r["speedup"]) - want) <= 0.0001 * max(want, 1), (r, want)
EOF
    # meta.json: the binaries that ran and bench-python's own workload list
    python3 - "$d/meta.json" <<'EOF'
import json, sys
meta = json.load(open(sys.argv[1]))
assert meta["binaries"]["python-processes"]["runtime"].startswith("cpython-3."), meta["binaries"]
assert "omp" not in meta["binaries"], meta["binaries"]  # no line ran it
cpu = [w for w in meta["workloads_python"] if w["name"] == "cpu"][0]
assert "kernel" in [p["name"] for p in cpu["params"]]
assert "kernel" not in [p["name"] for w in meta["workloads"] if w["name"] == "cpu" for p in w["params"]]
EOF
}
