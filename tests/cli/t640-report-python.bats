#!/usr/bin/env bats
# The report's Python section: bench-python's rows beside the C builds' (plots with both,
# findings from summary.csv, a medians table), and nothing of it without Python rows.
# tests/fixtures/python is a real run of a suite with Python and C lines (README there);
# the last test has the runner make a small one with the binaries of this tree.

load report-helpers
bats_require_minimum_version 1.5.0

setup() {
    cd "$BATS_TEST_DIRNAME/../.." || return 1
    fixture=tests/fixtures/python
    rep="$BATS_TEST_TMPDIR/report"
}

# summary.csv's value of column $2 in the row where the awk condition $1 holds (c[] names
# columns), printed with format $3.
value() {
    awk -F, -v want="$2" -v fmt="$3" "NR == 1 { for (i = 1; i <= NF; i++) c[\$i] = i; next } $1 { printf fmt, \$c[want]; exit }" "$4"
}

# The lines of report.md from heading $2 to the next heading of its level.
section() {
    awk -v h="$2" '$0 == h { on = 1; print; next } on && /^## / { exit } on' "$1"
}

# A copy of the fixture's run folder without bench-python's rows.
c_only() {
    local d="$BATS_TEST_TMPDIR/$1" f
    mkdir -p "$d"
    cp "$fixture/meta.json" "$d/"
    for f in summary results; do
        awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "backend") b = i; print; next } $b !~ /^python-/' \
            "$fixture/$f.csv" >"$d/$f.csv"
    done
    echo "$d"
}

@test "Python rows get their section: every plot has Python and C series, links and tables check out, gnuplot says nothing" {
    run --separate-stderr scripts/report "$fixture" "$rep"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    d=$(dirname "${lines[-1]}")
    md="$d/report.md"
    [ "$(grep -c '^## Python threads, processes and C kernels$' "$md")" -eq 1 ]
    grep -q '<a href="#python">Python</a>' "$d/index.html"
    grep -q '<h2 id="python">Python threads, processes and C kernels</h2>' "$d/index.html"
    check_links "$d"
    check_plots "$d"
    # every configuration is in one table: the C builds' in their workloads, Python's in its section
    n=$(check_tables "$d" "$d/data/summary.csv")
    [ "$n" -eq "$(($(wc -l <"$fixture/summary.csv") - 1))" ]
    # time and speedup for sleep and cpu, and memory's bandwidth; the lost updates; the overheads
    for k in python_time python_speedup python_bandwidth python_lost python_overhead; do
        grep -q "^$k"$'\tpython\t' "$d/plots/plots.tsv"
    done
    [ "$(grep -c $'^python_time\tpython\t' "$d/plots/plots.tsv")" -eq 3 ]
    # every plot of the section draws a Python series and a C one (their names in its legend)
    while IFS=$'\t' read -r kind sec base _; do
        [ "$sec" = python ] || continue
        grep -q '>python-threads' "$d/plots/$base.svg" || { echo "no python-threads in $base ($kind)" >&2; false; }
        grep -qE '>(pthread/pool|omp/libgomp[^<]*|seq)' "$d/plots/$base.svg" || { echo "no C series in $base ($kind)" >&2; false; }
        section "$md" '## Python threads, processes and C kernels' | grep -q "(plots/$base.svg)"
    done <"$d/plots/plots.tsv"
    # the cpu plot holds both kernels: the C kernel at the C builds' work, Python's at its own
    grep -q '>python-threads, kernel=c<' "$d/plots/python_cpu-work-20000000-skew-uniform-n16_speedup.svg"
    grep -q '>python-threads, kernel=python, work=200000<' "$d/plots/python_cpu-work-20000000-skew-uniform-n16_speedup.svg"
    # Python's rows stay out of the answers, the overview and the workload sections
    [ -z "$(awk '/^## Answers$/ { on = 1 } /^## Python threads/ { on = 0 } on && /python-(seq|threads|processes)/' "$md")" ]
    run ! grep -q 'python' "$d/plots/overview.dat"
}

@test "the Python findings state summary.csv's numbers" {
    run scripts/report "$fixture" "$rep"
    [ "$status" -eq 0 ]
    f=$(section "$(dirname "${lines[-1]}")/report.md" '## Python threads, processes and C kernels' | grep '^- ')
    s=$fixture/summary.csv
    # cpu at the core count: each backend's speedup over its own loop, and its median
    cpu_py='$c["workload"] == "cpu" && $c["threads"] == 2 && $c["params"] ~ /kernel=python/'
    cpu_c='$c["workload"] == "cpu" && $c["threads"] == 2 && $c["params"] ~ /kernel=c/'
    cpu_pool='$c["workload"] == "cpu" && $c["threads"] == 2 && $c["backend"] == "pthread"'
    for b in python-threads python-processes; do
        grep -qF "$b, kernel=python, work=200000 $(value "$cpu_py"' && $c["backend"] == "'$b'"' speedup %.2f "$s")x ($(value "$cpu_py"' && $c["backend"] == "'$b'"' median_s %.4g "$s") s [" <<<"$f"
        grep -qF "$b, kernel=c $(value "$cpu_c"' && $c["backend"] == "'$b'"' speedup %.2f "$s")x (" <<<"$f"
    done
    grep -qF "pthread/pool $(value "$cpu_pool" speedup %.2f "$s")x ($(value "$cpu_pool" median_s %.4g "$s") s [" <<<"$f"
    grep -q '^- cpu (work=20000000 skew=uniform, 16 tasks) at 2 threads, speedup over each' <<<"$f"
    # sleep: the tutorial's 20 tasks of 500 ms on 10 workers, against the loop
    sl='$c["workload"] == "sleep" && $c["threads"] == 10 && $c["backend"] == "python-threads"'
    grep -qF "python-threads $(value "$sl" speedup %.2f "$s")x ($(value "$sl" median_s %.4g "$s") s [" <<<"$f"
    grep -q '^- sleep (ms=500, 20 tasks) at 10 threads' <<<"$f"
    grep -q "The loops: python-seq $(value '$c["workload"] == "sleep" && $c["backend"] == "python-seq"' median_s %.4g "$s") s \[" <<<"$f"
    # the lost update: every clean repetition of racy ended at 1 of 2, the lock at 2 of 2
    reps=$(value '$c["workload"] == "contention" && $c["backend"] == "python-threads" && $c["params"] ~ /racy/' reps %d "$s")
    grep -q "^- contention (incs=1 window_ms=100, 2 tasks): python-threads at 2 threads: racy ended at 1 of 2 updates in $reps of $reps repetitions (1 lost, 50.0%); mutex ended at 2 of 2 updates in [0-9]* of [0-9]* repetitions (none lost)" <<<"$f"
    # what a task costs: ThreadPoolExecutor and the pool, each with its interval
    ov='$c["workload"] == "noop" && $c["params"] ~ /construct=task/ && $c["backend"] == "python-threads"'
    x=$(value "$ov" metrics '%s' "$s" | tr ';' '\n' | awk -F= '$1 == "overhead_us" { printf "%.3g", $2 }')
    grep -q "^- noop (construct=task rounds=500 samples=5, 1 task): overhead per construct at 2 threads: python-threads $x us \[" <<<"$f"
    grep -q 'the C builds (construct=task rounds=500 samples=5): .*pthread/pool [0-9.e-]* us \[' <<<"$f"
}

@test "the Python findings follow the data: the GIL's flat line and the same work as the pool" {
    c="$BATS_TEST_TMPDIR/moved"
    cp -r "$fixture" "$c"
    # python-threads on Python's cpu chain at 2 threads made 1.234 times as fast as its
    # loop, both intervals within 1%: faster than its loop beyond the noise, at that speedup
    seq=$(value '$c["workload"] == "cpu" && $c["params"] ~ /kernel=python/ && $c["backend"] == "python-seq"' median_s %s "$fixture/summary.csv")
    t=$(awk -v s="$seq" 'BEGIN { printf "%.9f", s / 1.234 }')
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '
        $c["workload"] == "cpu" && $c["params"] ~ /kernel=python/ && $c["backend"] == "python-seq" {
            $c["ci_lo_s"] = $c["median_s"] * 0.99; $c["ci_hi_s"] = $c["median_s"] * 1.01 }
        $c["workload"] == "cpu" && $c["threads"] == 2 && $c["params"] ~ /kernel=python/ && $c["backend"] == "python-threads" {
            $c["speedup"] = 1.234; $c["median_s"] = '"$t"'; $c["ci_lo_s"] = '"$t"' * 0.99; $c["ci_hi_s"] = '"$t"' * 1.01 }'
    run scripts/report "$c" "$rep"
    [ "$status" -eq 0 ]
    grep -q "python-threads, kernel=python, work=200000 1.23x ($(printf %.4g "$t") s \[[^]]*\]), faster than python-seq beyond the noise" "$rep/moved/report.md"
    # the same row with an interval that takes in its loop's median: no different beyond the noise
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '
        $c["workload"] == "cpu" && $c["threads"] == 2 && $c["params"] ~ /kernel=python/ && $c["backend"] == "python-threads" {
            $c["speedup"] = 0.999; $c["median_s"] = '"$seq"' * 1.001; $c["ci_lo_s"] = '"$seq"' * 0.9; $c["ci_hi_s"] = '"$seq"' * 1.1 }'
    run scripts/report "$c" "$rep"
    grep -q "python-threads, kernel=python, work=200000 1.00x (.*), no different from python-seq beyond the noise" "$rep/moved/report.md"
    # kernel=c runs the C builds' own work: its time against the pool's, then the loops
    grep -q '^- cpu (work=20000000 skew=uniform, 16 tasks), the same work as the C builds (kernel=c), against pthread/pool at 2 threads, [0-9.]* s \[.*\]: python-threads, kernel=c [0-9.]*x as long (.*\. The loops: python-seq, kernel=c [0-9.]* s \[.*\] against seq [0-9.]* s \[' "$rep/moved/report.md"
    # a short Python point silences its series, and the sentence says which
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '
        $c["workload"] == "cpu" && $c["threads"] == 4 && $c["params"] ~ /kernel=python/ && $c["backend"] == "python-processes" { $c["short"] = 1 }'
    run scripts/report "$c" "$rep"
    grep -q "Not stated: python-processes, kernel=python, work=200000 short at 4 threads\." "$rep/moved/report.md"
    run ! grep -q "python-processes, kernel=python, work=200000 [0-9.]*x" "$rep/moved/report.md"
    # so does a point the runner gave up as disturbed
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '
        $c["workload"] == "cpu" && $c["threads"] == 2 && $c["params"] ~ /kernel=python/ && $c["backend"] == "python-threads" { $c["status"] = "disturbed" }'
    run scripts/report "$c" "$rep"
    grep -q "Not stated: python-threads, kernel=python, work=200000 disturbed at 2 threads\." "$rep/moved/report.md"
}

@test "without Python rows there is no Python section, and the C sections are as before" {
    d=$(c_only conly)
    run --separate-stderr scripts/report "$d" "$rep"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    run ! grep -q 'Python' "$rep/conly/report.md"
    run ! grep -q '#python' "$rep/conly/index.html"
    run ! grep -q '^python' "$rep/conly/plots/plots.tsv"
    ls "$rep/conly/plots/" >"$BATS_TEST_TMPDIR/conly.ls"
    run ! grep -q '^python_' "$BATS_TEST_TMPDIR/conly.ls"
    # the C builds' sections do not change when Python rows join them
    run scripts/report "$fixture" "$rep"
    diff <(awk '/^## Workload: / { on = 1 } /^## (Python|Thread placement|Noise)/ { on = 0 } on' "$rep/conly/report.md") \
         <(awk '/^## Workload: / { on = 1 } /^## (Python|Thread placement|Noise)/ { on = 0 } on' "$rep/python/report.md")
    check_links "$rep/conly"
}

@test "a Python workload with no C run beside it is drawn alone, and still found" {
    c="$BATS_TEST_TMPDIR/alone"
    mkdir -p "$c"
    cp "$fixture/meta.json" "$c/"
    for f in summary results; do
        awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "backend") b = i; if ($i == "workload") w = i }; print; next }
                 !($w == "memory" && $b !~ /^python-/)' "$fixture/$f.csv" >"$c/$f.csv"
    done
    run --separate-stderr scripts/report "$c" "$rep"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    grep -qP '^python_bandwidth\tpython\tpython_memory-mib-64-kernel-python-n16_bandwidth\t' "$rep/alone/plots/plots.tsv"
    run ! grep -q 'pthread' "$rep/alone/plots/python_memory-mib-64-kernel-python-n16_bandwidth.svg"
    grep -q '^- memory (mib=64 kernel=python, 16 tasks) at ' "$rep/alone/report.md"
    run ! grep -q '^## Workload: memory' "$rep/alone/report.md"
    check_plots "$rep/alone"
}

@test "a small suite with Python lines, run by the runner now, gets the section, every plot drawn" {
    printf '%s\n' \
        'sleep ms=5 tasks=8 threads=2,8 backends=seq,pthread,omp,python-seq,python-threads,python-processes reps=3 warmup=0' \
        'cpu work=200000 kernel=c tasks=4 threads=1,2 backends=seq,pthread,python-seq,python-threads,python-processes reps=3 warmup=0' \
        'cpu work=2000 kernel=python tasks=4 threads=1,2 backends=python-seq,python-threads,python-processes reps=3 warmup=0' \
        'memory mib=2 kernel=python,c tasks=4 threads=1,2 backends=seq,pthread,python-seq,python-threads reps=3 warmup=0' \
        'contention mode=racy,mutex incs=1 window_ms=10 tasks=2 threads=2 backends=seq,pthread,python-seq,python-threads reps=3 warmup=0' \
        'noop construct=task rounds=20 samples=2 threads=2 backends=pthread,omp,python-threads,python-processes reps=3 warmup=0' \
        >"$BATS_TEST_TMPDIR/py.suite"
    # Nothing counts as disturbed: a configuration given up as disturbed would not be drawn.
    run scripts/bench --no-build --results "$BATS_TEST_TMPDIR/results" --foreign-limit 10 "$BATS_TEST_TMPDIR/py.suite"
    [ "$status" -eq 0 ] || [ "$status" -eq 1 ]
    run --separate-stderr scripts/report "$BATS_TEST_TMPDIR/results/latest" "$rep"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    d=$(dirname "${lines[-1]}")
    grep -q '^## Python threads, processes and C kernels$' "$d/report.md"
    check_links "$d"
    check_plots "$d"
    n=$(check_tables "$d" "$d/data/summary.csv")
    [ "$n" -eq "$(($(wc -l <"$d/data/summary.csv") - 1))" ]
    # sleep, cpu and memory: time and speedup; memory's bandwidth; the lost updates; the overheads
    [ "$(grep -c $'\tpython\t' "$d/plots/plots.tsv")" -eq 9 ]
    grep -q '>python-threads, kernel=python, work=2000<' "$d/plots/python_cpu-work-200000-skew-uniform-n4_speedup.svg"
    grep -q '>pthread/pool<' "$d/plots/python_cpu-work-200000-skew-uniform-n4_speedup.svg"
}
