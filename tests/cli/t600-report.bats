#!/usr/bin/env bats
# The report: the quick suite's run gets a complete page (links, plots, tables equal to
# summary.csv); findings follow the data; failures are shown; bad input is refused.

load report-helpers
bats_require_minimum_version 1.5.0

@test "the quick suite's run gets a report whose links, plots and tables check out" {
    run scripts/bench --no-build --results "$BATS_TEST_TMPDIR/results" quick
    [ "$status" -eq 0 ] || [ "$status" -eq 1 ]
    run scripts/report "$BATS_TEST_TMPDIR/results/latest" "$rep"
    [ "$status" -eq 0 ]
    page=${lines[-1]}
    [ -f "$page" ]
    [ "$(readlink -f "$rep/latest/index.html")" = "$(readlink -f "$page")" ]
    d=$(dirname "$page")
    check_links "$d"
    check_plots "$d"
    n=$(check_tables "$d" "$d/data/summary.csv")
    [ "$n" -eq "$(($(wc -l <"$d/data/summary.csv") - 1))" ]
    # one section per workload that ran, none for the others
    awk -F, 'NR > 1 { print $1 }' "$d/data/summary.csv" | sort -u | while read -r w; do
        grep -q "^## Workload: $w\$" "$d/report.md"
    done
    [ "$(grep -c '^## Workload: ' "$d/report.md")" -eq "$(awk -F, 'NR > 1 { print $1 }' "$d/data/summary.csv" | sort -u | wc -l)" ]
    # beside a crafted machine of 8 cores: one report comparing the two, both in its tables
    run scripts/report "$BATS_TEST_TMPDIR/results/latest" tests/fixtures/crafted-8core "$rep"
    [ "$status" -eq 0 ]
    d=$(dirname "${lines[-1]}")
    check_links "$d"
    host=$(jq -r .host "$BATS_TEST_TMPDIR/results/latest/meta.json")
    grep -qx "|  | $host | fixture-8c |" "$d/report.md"
    grep -qx "| cores | $(jq -r .cores "$BATS_TEST_TMPDIR/results/latest/meta.json") | 8 |" "$d/report.md"
    grep -q "^| workload and parameters | $host (type A, [0-9]* cores\{0,1\}) | fixture-8c (type B, 8 cores) |$" "$d/report.md"
    # they ran no sweep in common: nothing to plot side by side, and the page says so
    grep -q '^No workload and parameter set was run with a sequential reference on two or more of these machines' "$d/report.md"
}

@test "memory, contention and noop runs get bandwidth, cost per update, lost updates and overhead plots" {
    printf '%s\n' \
        'memory mib=4 tasks=4 threads=1,2 backends=seq,pthread,omp reps=3 warmup=0' \
        'contention mode=racy,mutex,atomic,reduction incs=5000 tasks=4 threads=1,2 backends=seq,pthread,omp reps=3 warmup=0' \
        'noop construct=region rounds=200 samples=3 threads=1,2 backends=pthread,omp reps=3 warmup=0' >"$BATS_TEST_TMPDIR/k.suite"
    # no repetition judged disturbed, so a busy machine cannot take the rows the
    # sentences below are made from
    BENCH_FOREIGN_LIMIT=10 run scripts/bench --no-build --results "$BATS_TEST_TMPDIR/results" "$BATS_TEST_TMPDIR/k.suite"
    [ "$status" -eq 0 ] || [ "$status" -eq 1 ]
    run scripts/report "$BATS_TEST_TMPDIR/results/latest" "$rep"
    [ "$status" -eq 0 ]
    d=$(dirname "${lines[-1]}")
    for p in contention_cost contention_lost overhead_bars memory-mib-4-passes-1-n4_bandwidth \
             noop-construct-region-rounds-200-samples-3-delay-ns-100-n1_overhead; do
        [ -s "$d/plots/$p.svg" ] || { echo "no plot $p"; false; }
        [ -s "$d/plots/$p.png" ]
    done
    # noop's times count constructs: its overhead is plotted, not its time or speedup
    [ ! -e "$d/plots/noop-construct-region-rounds-200-samples-3-delay-ns-100-n1_time.svg" ]
    # What these sentences say depends on the machine (and short runs make no finding);
    # that they are there does not.
    grep -q '^- pthread/pool at 2 threads, time per update: racy .*, mutex .*, atomic .*, reduction .*\.' "$d/report.md"
    grep -q 'overhead per [a-z ]* at 2 threads: pool .* us \[.*\], OpenMP (libgomp[^)]*) .* us' "$d/report.md"
    check_links "$d"
    check_plots "$d"
    check_tables "$d" "$d/data/summary.csv"
}

@test "the page is self-contained: plots inline as data URIs, nothing fetched from a network" {
    run scripts/report "$fixture" "$rep"
    [ "$status" -eq 0 ]
    d=$(dirname "${lines[-1]}")
    run ! grep -qE '(src|href)="(https?:)?//' "$d/index.html"
    [ "$(grep -c 'src="data:image/svg+xml;base64,' "$d/index.html")" -eq "$(find "$d/plots" -name '*.svg' | wc -l)" ]
    check_links "$d"
    check_plots "$d"
    check_tables "$d" "$fixture/summary.csv"
    # every kind of plot the crafted run calls for
    for p in overview placement contention_cost contention_lost \
             cpu-work-2000000-skew-linear-n64_schedules cpu-work-2000000-skew-uniform-n64_pinning \
             noop-rounds-10000-n1_overhead memory-mib-64-passes-1-n16_bandwidth \
             sleep-ms-100-n32_time sleep-ms-100-n32_speedup sleep-ms-100-n32_efficiency; do
        [ -s "$d/plots/$p.svg" ] || { echo "no plot $p"; false; }
        [ -s "$d/plots/$p.png" ]
    done
}

@test "the machine and the command to reproduce come from meta.json" {
    c=$(crafted_copy run-meta)
    jq '.cpu_model = "Test CPU 9000" | .command = "scripts/bench my-own.suite"' "$c/meta.json" >"$c/m" && mv "$c/m" "$c/meta.json"
    run scripts/report "$c" "$rep"
    [ "$status" -eq 0 ]
    grep -q '| CPU | Test CPU 9000 |' "$rep/run-meta/report.md"
    grep -qx 'scripts/bench my-own.suite' "$rep/run-meta/report.md"
    grep -q '<pre>scripts/bench my-own.suite</pre>' "$rep/run-meta/index.html"
}

@test "findings follow the data: the thread rule, the pool against OpenMP, pinning" {
    run scripts/report "$fixture" "$rep"
    md="$rep/crafted/report.md"
    grep -q 'cpu (work=2000000 skew=uniform, 64 tasks): scaling of pthread/pool stops at 2 threads (0.2089 s \[0.2074 to 0.2134\])' "$md"
    grep -q 'cpu (work=2000000 skew=uniform, 64 tasks): pool against OpenMP (libgomp-12.2.0), at 4 thread counts both ran: the pool is slower beyond the noise at 1 thread (.*1.04x as long), 4 threads (.*). No difference beyond the noise at the other 2.' "$md"
    grep -q 'cpu (work=2000000 skew=linear, 64 tasks): pool against OpenMP (libgomp-12.2.0): no difference beyond the noise at any of the 3 thread counts both ran.' "$md"
    grep -q 'bind=pu against no pinning, over 4 configurations: slower beyond the noise +23.0% for pthread/pool at 2 threads, +21.9% for omp/libgomp-12.2.0 at 2 threads, +19.3% for pthread/pool at 4 threads, +22.7% for omp/libgomp-12.2.0 at 4 threads' "$md"
    grep -q '^- cpu (work=2000000 skew=uniform, 64 tasks): best speedup 1.95x (omp/libgomp-12.2.0 at 4 threads), about the 2 cores.$' "$md"
    # Make the pool fast at 8 threads, and pinning to PUs no different beyond the noise.
    c=$(crafted_copy changed)
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '
        $c["workload"] == "cpu" && $c["backend"] == "pthread" && $c["threads"] == 8 && $c["bind"] == "none" && $c["params"] == "work=2000000;skew=uniform" {
            $c["median_s"] = "0.100000000"; $c["ci_lo_s"] = "0.099"; $c["ci_hi_s"] = "0.101"; $c["speedup"] = "4.0236" }
        $c["workload"] == "cpu" && $c["backend"] == "pthread" && $c["threads"] == 2 && $c["bind"] == "pu" {
            $c["median_s"] = "0.208888096"; $c["ci_lo_s"] = "0.207428861"; $c["ci_hi_s"] = "0.213357284" }'
    run scripts/report "$c" "$rep"
    [ "$status" -eq 0 ]
    md="$rep/changed/report.md"
    grep -q 'cpu (work=2000000 skew=uniform, 64 tasks): pthread/pool was still faster beyond the noise at the largest count tested, 8 threads (0.1 s \[0.099 to 0.101\], 4.02x the sequential speed): scaling had not stopped (more than the 2 cores).' "$md"
    grep -q '^- cpu (work=2000000 skew=uniform, 64 tasks): best speedup 4.02x (pthread/pool at 8 threads), past the 2 cores.$' "$md"
    grep -q '^| cpu (work=2000000 skew=uniform, 64 tasks) | 8 threads: pthread/pool 0.1 s \[0.099 to 0.101\]; omp/libgomp-12.2.0: 2 threads | pthread/pool: 0.1 s \[0.099 to 0.101\] at 8 threads |$' "$md"
    run ! grep -q 'scaling of pthread/pool stops at 2 threads (0.2089' "$md"
    grep -q 'bind=pu against no pinning, over 4 configurations: slower beyond the noise +21.9% for omp/libgomp-12.2.0 at 2 threads, +19.3% for pthread/pool at 4 threads, +22.7% for omp/libgomp-12.2.0 at 4 threads; no change beyond the noise in the other 1' "$md"
    check_tables "$rep/changed" "$c/summary.csv"
}

@test "noisy configurations are named and marked" {
    run scripts/report "$fixture" "$rep"
    md="$rep/crafted/report.md"
    grep -q 'Noisy (cv 15.8% > 5%): cpu omp/libgomp-12.2.0 8 threads, static, bind=none, work=2000000 skew=uniform.' "$md"
    grep -q '<tr class="noisy">' "$rep/crafted/index.html"
    # the data file behind the time plot flags it for the noisy marker
    grep -qP '^8\t0.217921577\t.*\t1$' "$rep/crafted/plots/data/cpu-work-2000000-skew-uniform-n64.dat"
    c=$(crafted_copy quiet)
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '$c["noisy"] == 1 { $c["noisy"] = 0 }'
    run scripts/report "$c" "$rep"
    grep -q 'No configuration was noisy' "$rep/quiet/report.md"
}

@test "make report on a run with a failed configuration still writes the report, showing it" {
    run make -s report RESULTS="$fixture" REPORT_DIR="$rep"
    [ "$status" -eq 0 ]
    [ "${lines[-1]}" = "$(cd "$rep" && pwd -P)/crafted/index.html" ]
    md="$rep/crafted/report.md"
    grep -q '| omp/libgomp-12.2.0 | 4 | 64 | guided | none | work=2000000 skew=linear | 0 | - | - | - | - | - | FAILED (failed) |' "$md"
    grep -q 'Failed (failed, verified=0): cpu omp/libgomp-12.2.0 4 threads, guided, bind=none, work=2000000 skew=linear. Error: bench-omp: cpu: checksum 1f2e3d4c5b6a7988 differs' "$md"
    grep -q '<tr class="failed">' "$rep/crafted/index.html"
    run ! grep -q 'Every configuration ran and verified' "$md"
}

@test "a run whose every configuration failed gets a report that says so" {
    c=$(crafted_copy allfailed)
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '{
        for (i = c["reps"]; i <= c["short"]; i++) if (i != c["ideal_speedup"]) $i = "-"
        $c["verified"] = 0; $c["status"] = "failed"; $c["metrics"] = "-" }'
    run scripts/report "$c" "$rep"
    [ "$status" -eq 0 ]
    [ "$(grep -c '^- Failed (failed' "$rep/allfailed/report.md")" -eq "$(grep -c ',failed,' "$c/summary.csv")" ]
    [ "$(grep -c ',failed,' "$c/summary.csv")" -eq 99 ]
    grep -q '^| cpu (work=2000000 skew=uniform, 64 tasks) | no answer: omp/libgomp-12.2.0 failed at 1 thread, pthread/pool failed at 1 thread, seq failed at 1 thread | - |$' "$rep/allfailed/report.md"
    check_links "$rep/allfailed"
    check_tables "$rep/allfailed" "$c/summary.csv"
}

@test "bad input: one line on stderr, exit 2, nothing written" {
    run_quiet() { status=0; "$@" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" || status=$?; }
    run_quiet scripts/report "$BATS_TEST_TMPDIR/nowhere" "$rep"
    [ "$status" -eq 2 ]
    [ "$(wc -l <"$BATS_TEST_TMPDIR/err")" -eq 1 ]
    grep -q 'RESULTS_DIR' "$BATS_TEST_TMPDIR/err"
    mkdir "$BATS_TEST_TMPDIR/empty"
    run_quiet scripts/report "$BATS_TEST_TMPDIR/empty" "$rep"
    [ "$status" -eq 2 ]
    grep -q 'has no summary.csv' "$BATS_TEST_TMPDIR/err"
    c=$(crafted_copy badmeta)
    echo '{ not json' >"$c/meta.json"
    run_quiet scripts/report "$c" "$rep"
    [ "$status" -eq 2 ]
    [ "$(wc -l <"$BATS_TEST_TMPDIR/err")" -eq 1 ]
    [ ! -e "$rep" ] || [ -z "$(ls -A "$rep")" ]
    run_quiet scripts/report
    [ "$status" -eq 2 ]
    run_quiet scripts/compare "$fixture"
    [ "$status" -eq 2 ]
    run_quiet scripts/compare "$fixture" "$BATS_TEST_TMPDIR/empty"
    [ "$status" -eq 2 ]
    [ "$(wc -l <"$BATS_TEST_TMPDIR/err")" -eq 1 ]
}

@test "scripts/compare gives the ratio of B over A per configuration" {
    c=$(crafted_copy slower)
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '$c["workload"] == "sleep" && $c["backend"] == "omp" && $c["threads"] == 16 {
        $c["median_s"] *= 2; $c["ci_lo_s"] *= 2; $c["ci_hi_s"] *= 2 }'
    run scripts/compare "$fixture" "$c"
    [ "$status" -eq 0 ]
    [[ $output == *"their coverage here is 95%."* ]]
    [[ $output == *"| sleep | omp/libgomp-12.2.0 | 16 | 32 | static | none | ms=100 | time (s) | 0.2496 | 0.4993 | 2.000 | slower in B |"* ]]
    [[ $output == *"| sleep | pthread/pool | 16 | 32 | static | none | ms=100 | time (s) | 0.2586 | 0.2586 | 1.000 | within the intervals |"* ]]
    [[ $output == *"| cpu | omp/libgomp-12.2.0 | 4 | 64 | guided | none | work=2000000 skew=linear | - | failed | failed | - | not comparable (failed in A, failed in B) |"* ]]
    # contention by its time per update, noop by its overhead, with their own intervals
    [[ $output == *"| contention | pthread/pool | 4 | 64 | static | none | mode=mutex incs=100000 | time per update (ns) | 89.49 | 89.49 | 1.000 | within the intervals |"* ]]
    [[ $output == *"| noop | omp/libomp-14.0.6 | 8 | 1 | static | none | rounds=10000 | overhead per construct (us) | 9.5 | 9.5 | 1.000 | within the intervals |"* ]]
    [[ $output == *"Changes: slower in B: 1; within the intervals: 97; not comparable: 1."* ]]
    [[ ${lines[-1]} == "B / A over 98 configurations both ran: geometric mean 1.007" ]]
}

@test "scripts/fresh reuses only a finished run of the same suite newer than the binaries" {
    w="$BATS_TEST_TMPDIR/w"
    mkdir -p "$w/bin" "$w/results"
    cp -r "$fixture" "$w/results/run"
    jq '.suite = "/somewhere/bench/default.suite"' "$fixture/meta.json" >"$w/results/run/meta.json"
    touch -d '2 hours ago' "$w/bin/bench-seq"
    cd "$w"
    run "$OLDPWD/scripts/fresh" results/run default
    [ "$status" -eq 0 ]
    run "$OLDPWD/scripts/fresh" results/run quick
    [ "$status" -eq 1 ]
    [[ $output == *"ran default.suite, not quick.suite"* ]]
    touch bin/bench-seq
    run "$OLDPWD/scripts/fresh" results/run default
    [ "$status" -eq 1 ]
    [[ $output == *"bin/bench-seq is newer"* ]]
    touch -d '2 hours ago' bin/bench-seq
    jq '.finished = null' results/run/meta.json >m && mv m results/run/meta.json
    run "$OLDPWD/scripts/fresh" results/run default
    [ "$status" -eq 1 ]
    [[ $output == *"did not finish"* ]]
}
