#!/usr/bin/env bats
# The report on crafted runs: the answers come first; a finding is made only beyond the
# noise (apart intervals), never from short, disturbed, failed or missing configurations;
# partial runs say what is missing; plots survive values a log axis cannot show. Every
# number here is crafted, so nothing depends on what this machine measures.

load report-helpers
bats_require_minimum_version 1.5.0

# The configuration columns of summary.csv, as plan.csv starts with them.
plan_of() {
    awk -F, -v OFS=, 'NR == 1 { print "workload,backend,runtime,threads,tasks,schedule,bind,params,reps_min,reps_max,ci_target,disturbed_max"; next }
        { print $1, $2, $3, $4, $5, $6, $7, $8, 5, 5, 0, 10 }' "$1"
}

@test "the report opens with the answers, before any plot" {
    run scripts/report "$fixture" "$rep"
    [ "$status" -eq 0 ]
    md="$rep/crafted/report.md"
    answers=$(grep -n '^## Answers$' "$md" | cut -d: -f1)
    first_plot=$(grep -n '^!\[' "$md" | head -n 1 | cut -d: -f1)
    [ "$answers" -lt "$first_plot" ]
    [ "$(grep -n '^## ' "$md" | head -n 1)" = "$answers:## Answers" ]
    grep -qx '| sleep (ms=100, 32 tasks) | 16 threads: omp/libgomp-12.2.0 0.2496 s \[0.2493 to 0.2501\]; pthread/pool: also 16 threads | omp/libgomp-12.2.0: 0.2496 s \[0.2493 to 0.2501\] at 16 threads |' "$md"
    grep -qx '| cpu (work=2000000 skew=uniform, 64 tasks) | 2 threads: omp/libgomp-12.2.0 0.206 s \[0.2033 to 0.2107\]; pthread/pool: also 2 threads | no difference beyond the noise: omp/libgomp-12.2.0 0.2059 s \[0.2035 to 0.2095\] at 4 threads, pthread/pool 0.2089 s \[0.2074 to 0.2134\] at 2 threads |' "$md"
    grep -q '^| contention (mode=mutex incs=100000, 64 tasks) | 1 thread: seq 0.1295 s \[0.1271 to 0.1306\], no parallel backend is faster beyond the noise' "$md"
    grep -qx '| noop (rounds=10000, 1 task) | - (noop measures cost, not work) | lowest overhead per construct at 8 threads: omp/libgomp-12.2.0 0.75 us \[0.713 to 0.795\] |' "$md"
    # the page too: the answers table comes before the first figure
    html="$rep/crafted/index.html"
    [ "$(grep -n 'id="answers"' "$html" | cut -d: -f1)" -lt "$(grep -n '<figure>' "$html" | head -n 1 | cut -d: -f1)" ]
    grep -q '<table class="answers">' "$html"
}

@test "the overview shows the best speedup, with its thread count" {
    run scripts/report "$fixture" "$rep"
    [ "$status" -eq 0 ]
    d="$rep/crafted/plots/data/overview.dat"
    grep -qP '^cpu skew=uniform\t1.9541\t4\t1.9262\t2$' "$d"
    grep -q '^overview	overview	overview	Best speedup$' "$rep/crafted/plots/plots.tsv"
}

@test "the thread rule reads intervals: a wide interval within 5% of the best is picked" {
    c=$(crafted_copy wide)
    # pool at 1 thread: median 0.25 s, but its interval reaches down to 0.20 s, within 5%
    # of the high end of the best's (0.2134 s at 2 threads): 1 thread is not slower beyond
    # the noise. OpenMP's intervals all overlap the pool's: no difference at any count.
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '
        $c["workload"] == "cpu" && $c["params"] == "work=2000000;skew=uniform" && $c["bind"] == "none" && $c["backend"] == "pthread" && $c["threads"] == 1 {
            $c["median_s"] = 0.25; $c["ci_lo_s"] = 0.20; $c["ci_hi_s"] = 0.45 }
        $c["workload"] == "cpu" && $c["params"] == "work=2000000;skew=uniform" && $c["bind"] == "none" && $c["backend"] == "omp" {
            $c["ci_lo_s"] = 0.15; $c["ci_hi_s"] = 0.5 }'
    run scripts/report "$c" "$rep"
    [ "$status" -eq 0 ]
    md="$rep/wide/report.md"
    grep -q 'cpu (work=2000000 skew=uniform, 64 tasks): pthread/pool is not faster by more than 5% beyond the noise with more threads than 1 thread (0.25 s \[0.2 to 0.45\]): the best median is 0.2089 s \[0.2074 to 0.2134\] at 2 threads.' "$md"
    grep -q 'cpu (work=2000000 skew=uniform, 64 tasks): pool against OpenMP (libgomp-12.2.0): no difference beyond the noise at any of the 4 thread counts both ran.' "$md"
    grep -q '^| cpu (work=2000000 skew=uniform, 64 tasks) | 1 thread: omp/libgomp-12.2.0 0.4034 s \[0.15 to 0.5\]; pthread/pool: also 1 thread | no difference beyond the noise: ' "$md"
}

@test "a partial run says at its top how many configurations ran and names the missing ones" {
    c=$(crafted_copy partial)
    plan_of "$fixture/summary.csv" >"$c/plan.csv"
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '
        $c["workload"] == "noop" && $c["backend"] != "seq" && $c["threads"] >= 4 {
            for (i = c["reps"]; i <= c["short"]; i++) if (i != c["ideal_speedup"]) $i = "-"
            $c["reps"] = 0; $c["reps_disturbed"] = 0; $c["verified"] = "-"; $c["status"] = "missing"; $c["metrics"] = "-" }'
    jq 'del(.finished)' "$fixture/meta.json" >"$c/meta.json"
    run scripts/report "$c" "$rep"
    [ "$status" -eq 0 ]
    md="$rep/partial/report.md"
    line=$(grep -n '^\*\*This run is incomplete: 93 of 99 configurations ran; these 6 are missing (never measured): ' "$md" | cut -d: -f1)
    [ "$line" -lt "$(grep -n '^## Answers' "$md" | cut -d: -f1)" ]
    grep -q 'missing (never measured): noop pthread/pool 4 threads, static, bind=none, rounds=10000; noop omp/libgomp-12.2.0 4 threads, static, bind=none, rounds=10000; .*; noop omp/libomp-14.0.6 8 threads, static, bind=none, rounds=10000\.\*\*$' "$md"
    [ "$(grep -c '| MISSING (never ran) |$' "$md")" -eq 6 ]
    [ "$(grep -c '^- Missing (never ran): noop ' "$md")" -eq 6 ]
    run ! grep -q 'Every configuration ran' "$md"
    grep -q 'plan.csv' "$rep/partial/report.md"
    check_links "$rep/partial"
    check_tables "$rep/partial" "$c/summary.csv"
    # one missing configuration: singular words
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '
        $c["workload"] == "sleep" && $c["backend"] == "seq" { $c["status"] = "missing"; $c["median_s"] = "-" }'
    run scripts/report "$c" "$rep"
    grep -q '^\*\*This run is incomplete: 98 of 99 configurations ran; this one is missing (never measured): sleep seq 1 thread, static, bind=none, ms=100\.\*\*$' "$rep/partial/report.md"
}

@test "an unfinished run without plan.csv says the report cannot know what is missing" {
    c=$(crafted_copy unfinished)
    jq 'del(.finished)' "$fixture/meta.json" >"$c/meta.json"
    run scripts/report "$c" "$rep"
    [ "$status" -eq 0 ]
    grep -q '^\*\*This run did not finish, and it has no plan.csv .*: the report cannot know how many configurations were planned or which are missing. 99 configurations ran.\*\*$' "$rep/unfinished/report.md"
    run ! grep -q 'Every configuration ran' "$rep/unfinished/report.md"
    # a finished run says nothing of the kind
    run scripts/report "$fixture" "$rep"
    run ! grep -q 'This run' "$rep/crafted/report.md"
}

@test "disturbed configurations make no finding and are listed with their foreign CPU and steal" {
    c=$(crafted_copy disturbed)
    # pool at 2 threads with bind=pu never got a clean repetition: all 5 disturbed. The
    # pool at 1 thread (unpinned) had 2 disturbed repetitions re-run.
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '
        $c["workload"] == "cpu" && $c["backend"] == "pthread" && $c["threads"] == 2 && $c["bind"] == "pu" {
            $c["status"] = "disturbed"; $c["reps_disturbed"] = 5 }
        $c["workload"] == "cpu" && $c["backend"] == "pthread" && $c["threads"] == 1 && $c["bind"] == "none" && $c["params"] == "work=2000000;skew=uniform" {
            $c["reps_disturbed"] = 2 }'
    csv_edit "$fixture/results.csv" "$c/results.csv" '
        $c["workload"] == "cpu" && $c["backend"] == "pthread" && $c["threads"] == 2 && $c["bind"] == "pu" {
            $c["disturbed"] = 1; sub(/foreign_cpu_s=[0-9.]*/, "foreign_cpu_s=0.500", $c["metrics"]); sub(/steal_s=[0-9.]*/, "steal_s=0.100", $c["metrics"]) }
        $c["workload"] == "cpu" && $c["backend"] == "pthread" && $c["threads"] == 1 && $c["bind"] == "none" && $c["params"] == "work=2000000;skew=uniform" && $c["rep"] <= 2 {
            $c["disturbed"] = 1; sub(/foreign_cpu_s=[0-9.]*/, "foreign_cpu_s=0.300", $c["metrics"]) }'
    run scripts/report "$c" "$rep"
    [ "$status" -eq 0 ]
    md="$rep/disturbed/report.md"
    grep -qx -- '- Disturbed, no finding (could not get its clean repetitions): cpu pthread/pool 2 threads, static, bind=pu, work=2000000 skew=uniform, 5 repetitions disturbed and excluded (in them, other work used 2.5 s of CPU and the hypervisor stole 0.5 s).' "$md"
    grep -qx -- '- Disturbed repetitions: cpu pthread/pool 1 thread, static, bind=none, work=2000000 skew=uniform, 2 repetitions disturbed and excluded (in them, other work used 0.6 s of CPU and the hypervisor stole 0 s).' "$md"
    # the disturbed configuration is out of the pinning finding: 3 configurations, not 4
    grep -q 'bind=pu against no pinning, over 3 configurations: slower beyond the noise +21.9% for omp/libgomp-12.2.0 at 2 threads' "$md"
    grep -q '| interference | not quiet: 7 of 491 repetitions disturbed (foreign CPU and steal above the runner.s limit); over ' "$md"
    grep -q '| 2 | 64 | static | pu | work=2000000 skew=uniform | 5 | .* | DISTURBED (no clean repetitions; no finding) |$' "$md"
    grep -q '| pthread/pool | 1 | 64 | static | none | work=2000000 skew=uniform | 5 | .* | 2 disturbed repetitions excluded |$' "$md"
    check_tables "$rep/disturbed" "$c/summary.csv"
    # the quiet crafted run says so
    run scripts/report "$fixture" "$rep"
    grep -q '| interference | quiet: no repetition was disturbed; over 154.5 s of measured time, other work used 2.65 s of CPU (1.7% of one CPU) and the hypervisor stole 0 s |' "$rep/crafted/report.md"
}

@test "short configurations are flagged and make no finding" {
    c=$(crafted_copy short)
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '
        $c["workload"] == "cpu" && $c["params"] == "work=2000000;skew=uniform" { $c["short"] = 1 }'
    run scripts/report "$c" "$rep"
    [ "$status" -eq 0 ]
    md="$rep/short/report.md"
    run ! grep -q '^- cpu (work=2000000 skew=uniform' "$md"
    grep -qx '| cpu (work=2000000 skew=uniform, 64 tasks) | too short to tell: a median below 0.05 s, or 5 ms for work that waits (omp/libgomp-12.2.0 short at 1 thread, pthread/pool short at 1 thread, seq short at 1 thread) | - |' "$md"
    grep -q '^- 21 configurations had a median below 0.05 s, or 5 ms for work that waits (short in the medians tables)' "$md"
    [ "$(grep -c '| short |$' "$md")" -eq 20 ] # the noisy one says "noisy, short"
    run ! grep -q 'cpu skew=uniform' "$rep/short/plots/data/overview.dat"
    check_tables "$rep/short" "$c/summary.csv"
}

@test "a mode that loses updates on purpose answers none with its loss, not 'not verified'" {
    c=$(crafted_copy racy)
    # as a real run writes them: racy's rows that lost updates are not verified, yet ok
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '
        $c["params"] ~ /mode=racy/ && $c["metrics"] !~ /lost=0;/ { $c["verified"] = 0 }'
    run scripts/report "$c" "$rep"
    [ "$status" -eq 0 ]
    grep -qx '| contention (mode=racy incs=100000, 64 tasks) | none: it loses updates on purpose (up to 22.5% of them, at 4 threads), the race the other modes fix; see the findings below | - |' "$rep/racy/report.md"
    # a mode whose unverified row lost nothing is a fault, and is said to be one
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '
        $c["params"] ~ /mode=racy/ && $c["threads"] == 1 && $c["backend"] == "pthread" { $c["verified"] = 0 }'
    run scripts/report "$c" "$rep"
    grep -q '^| contention (mode=racy incs=100000, 64 tasks) | .*(pthread/pool not verified at 1 thread)' "$rep/racy/report.md"
    run ! grep -q 'loses updates on purpose' "$rep/racy/report.md"
}

@test "the noop finding names every OpenMP runtime, each against the pool beyond the noise" {
    run scripts/report "$fixture" "$rep"
    grep -qx -- '- noop (rounds=10000, 1 task): overhead per construct at 8 threads: pool 2.25 us \[2.14 to 2.38\], OpenMP (libgomp-12.2.0) 0.75 us \[0.713 to 0.795\], OpenMP (libomp-14.0.6) 9.5 us \[9.03 to 10.1\]. Pool / OpenMP (libgomp-12.2.0) = 3.00, beyond the noise. Pool / OpenMP (libomp-14.0.6) = 0.24, beyond the noise.' "$rep/crafted/report.md"
    c=$(crafted_copy noopclose)
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '
        $c["workload"] == "noop" && $c["runtime"] ~ /^libomp/ && $c["threads"] == 8 { $c["metrics"] = "overhead_us=2.3;ci_lo_us=2.2;ci_hi_us=2.5" }'
    run scripts/report "$c" "$rep"
    grep -q 'OpenMP (libomp-14.0.6) 2.3 us \[2.2 to 2.5\]. Pool / OpenMP (libgomp-12.2.0) = 3.00, beyond the noise. Pool and OpenMP (libomp-14.0.6): no difference beyond the noise.$' "$rep/noopclose/report.md"
}

@test "values at or below zero: linear axes, every plot drawn, gnuplot says nothing" {
    c=$(crafted_copy zero)
    # an overhead below zero (the reference took longer) and a time per update of zero
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '
        $c["workload"] == "noop" && $c["backend"] == "pthread" { $c["metrics"] = "overhead_us=-0.3;ci_lo_us=-0.5;ci_hi_us=0.1" }
        $c["workload"] == "contention" && $c["params"] ~ /reduction/ && $c["backend"] == "seq" { $c["median_s"] = 0; $c["ci_lo_s"] = 0 }'
    run --separate-stderr scripts/report "$c" "$rep"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    d="$rep/zero"
    grep -qP '^overhead_bars\tnoop\toverhead_bars\t' "$d/plots/plots.tsv"
    for p in overhead_bars contention_cost noop-rounds-10000-n1_overhead; do
        [ -s "$d/plots/$p.svg" ] || { echo "no plot $p"; false; }
        [ -s "$d/plots/$p.png" ]
    done
    check_plots "$d"
    grep -q -- '-0.3' "$d/plots/data/overhead_bars.dat"
    # the same plots on the crafted run use log axes
    run --separate-stderr scripts/report "$fixture" "$rep"
    [ -z "$stderr" ]
    grep -q 'overhead (us) (log scale)' "$rep/crafted/plots/overhead_bars.svg"
    run ! grep -q 'log scale' "$d/plots/overhead_bars.svg"
}

@test "workload descriptions and section order come from meta.json, else from the binaries" {
    c=$(crafted_copy described)
    jq '.workloads = [
          {"name": "noop", "bound": "overhead", "summary": "crafted noop words", "default_tasks": 1, "params": []},
          {"name": "sleep", "bound": "waiting", "summary": "crafted sleep words", "default_tasks": 32, "params": []}]' \
        "$fixture/meta.json" >"$c/meta.json"
    run scripts/report "$c" "$rep"
    [ "$status" -eq 0 ]
    md="$rep/described/report.md"
    grep -qx 'Bound by waiting: crafted sleep words.' "$md"
    grep -qx 'Bound by overhead: crafted noop words.' "$md"
    # noop and sleep first, in that order; the others after, as summary.csv names them
    [ "$(grep '^## Workload: ' "$md" | tr '\n' ' ')" = "## Workload: noop ## Workload: sleep ## Workload: cpu ## Workload: memory ## Workload: contention " ]
    # without them, the binaries' --list says what each workload is
    run scripts/report "$fixture" "$rep"
    grep -qx 'Bound by waiting: each task sleeps ms milliseconds (nanosleep).' "$rep/crafted/report.md"
}

@test "compare calls no change from short configurations and states the coverage it used" {
    c=$(crafted_copy few)
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '
        { $c["ci_level"] = 0.75 }
        $c["workload"] == "sleep" && $c["threads"] == 16 && $c["backend"] == "pthread" {
            $c["median_s"] *= 3; $c["ci_lo_s"] *= 3; $c["ci_hi_s"] *= 3; $c["short"] = 1 }
        $c["workload"] == "sleep" && $c["threads"] == 8 && $c["backend"] == "pthread" {
            $c["median_s"] *= 1.03; $c["ci_lo_s"] *= 1.03; $c["ci_hi_s"] *= 1.03 }
        $c["workload"] == "sleep" && $c["threads"] == 4 && $c["backend"] == "pthread" {
            $c["median_s"] *= 1.07; $c["ci_lo_s"] *= 1.07; $c["ci_hi_s"] *= 1.07 }'
    run scripts/compare "$fixture" "$c"
    [ "$status" -eq 0 ]
    # apart, but by less than the 5% the thread rule allows: not called
    [[ $output == *"| sleep | pthread/pool | 8 | 32 | static | none | ms=100 | time (s) | 0.4321 | 0.4451 | 1.030 | apart, within 5% |"* ]]
    [[ $output == *"| sleep | pthread/pool | 4 | 32 | static | none | ms=100 | time (s) | 0.824 | 0.8817 | 1.070 | slower in B |"* ]]
    [[ $output == *"their coverage here is 75% to 95% (below 95%: with 3 repetitions the interval is min..max, which covers the median only 75% of the time"* ]]
    [[ $output == *"| sleep | pthread/pool | 16 | 32 | static | none | ms=100 | time (s) | 0.2586 | 0.7758 | 3.000 | short, not called |"* ]]
    # one configuration in common: singular words
    head -n 2 "$fixture/summary.csv" >"$c/one.csv"
    run scripts/compare "$fixture" "$c/one.csv"
    [[ ${lines[-1]} == "B / A over 1 configuration both ran: geometric mean 1.000" ]]
    [[ $output == *"- only in A: sleep omp/libgomp-12.2.0, 1 thread, 32 tasks, static, bind=none, ms=100"* ]]
}

@test "kernel counters: switches and migrations against threads for sleep and cpu, compared beyond the noise" {
    run --separate-stderr scripts/report "$fixture" "$rep"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    d="$rep/crafted"
    for p in sleep-ms-100-n32_counters cpu-work-2000000-skew-uniform-n64_counters cpu-work-2000000-skew-linear-n64_counters; do
        [ -s "$d/plots/$p.svg" ] || { echo "no plot $p"; false; }
        [ -s "$d/plots/$p.png" ]
        grep -q "plots/$p.svg" "$d/report.md"
    done
    # only the sweeps where oversubscription shows; no hardware plot without a PMU ('-')
    [ "$(grep -c '^counters	' "$d/plots/plots.tsv")" -eq 3 ]
    run ! grep -qE '_ipc|memory.*_counters|contention.*_counters' "$d/plots/plots.tsv"
    # the medians from summary.csv, the intervals from results.csv's repetitions
    grep -qP '^8\t3939\t3822\t4017\t303\t294\t309$' "$d/plots/data/cpu-work-2000000-skew-uniform-n64_counters.dat"
    grep -qx -- '- cpu (work=2000000 skew=uniform, 64 tasks): pthread/pool at 8 threads on 2 cores: 3,939 context switches per repetition \[3,822 to 4,017\] against 40 \[39 to 41\] at 2 threads (98.5x as many, beyond the noise); 303 migrations per repetition \[294 to 309\] against 6 \[6 to 6\] at 2 threads (50.5x as many, beyond the noise).' "$d/report.md"
    check_links "$d"
    check_plots "$d"
    # Switches at 8 threads within the noise of those at 2: no difference is called.
    c=$(crafted_copy calm)
    calm='$c["workload"] == "cpu" && $c["backend"] == "pthread" && $c["threads"] == 8 && $c["bind"] == "none" && $c["params"] == "work=2000000;skew=uniform"'
    csv_edit "$fixture/results.csv" "$c/results.csv" "$calm { sub(/ctx_switches=[0-9]+/, \"ctx_switches=\" (39 + \$c[\"rep\"] % 3), \$c[\"metrics\"]) }"
    csv_edit "$fixture/summary.csv" "$c/summary.csv" "$calm { sub(/ctx_switches=[0-9]+/, \"ctx_switches=40\", \$c[\"metrics\"]) }"
    run scripts/report "$c" "$rep"
    [ "$status" -eq 0 ]
    grep -q '^- cpu (work=2000000 skew=uniform, 64 tasks): pthread/pool at 8 threads on 2 cores: 40 context switches per repetition \[39 to 41\] against 40 \[39 to 41\] at 2 threads (no difference beyond the noise); 303 migrations' "$rep/calm/report.md"
}

@test "kernel counters: without intervals nothing is compared; short sweeps make no counter finding" {
    out=$(awk -v cores=2 -f scripts/lib/summary.awk -f scripts/lib/findings.awk "$fixture/summary.csv" "$fixture/results.csv")
    [[ $out == *"pthread/pool at 8 threads on 2 cores: 3,939 context switches per repetition against 40 at 2 threads (no interval of the median: not compared)"* ]]
    c=$(crafted_copy shortcounters)
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '$c["workload"] == "cpu" { $c["short"] = 1 }'
    run scripts/report "$c" "$rep"
    [ "$status" -eq 0 ]
    run ! grep -q 'cpu .*context switches per repetition' "$rep/shortcounters/report.md"
    grep -q 'sleep .*context switches per repetition' "$rep/shortcounters/report.md"
    # the plot still shows them: the counts are not times, only the findings need the rule
    [ -s "$rep/shortcounters/plots/cpu-work-2000000-skew-uniform-n64_counters.png" ]
    # no migration at all (every thread pinned, say): a panel from 0 to 1, and no warning
    c=$(crafted_copy nomigrations)
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '{ sub(/migrations=[0-9]+/, "migrations=0", $c["metrics"]) }'
    csv_edit "$fixture/results.csv" "$c/results.csv" '{ sub(/migrations=[0-9]+/, "migrations=0", $c["metrics"]) }'
    run --separate-stderr scripts/report "$c" "$rep"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    grep -q 'migrations per repetition \[0 to 0\] against 0 \[0 to 0\] at 2 threads (no difference beyond the noise)' "$rep/nomigrations/report.md"
}

@test "hardware counters where the machine has them: instructions per cycle against threads" {
    c=$(crafted_copy pmu)
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '
        $c["workload"] == "cpu" && $c["params"] == "work=2000000;skew=uniform" && $c["status"] == "ok" {
            $c["metrics"] = $c["metrics"] ";cycles=8e+08;instructions=1.6e+09;llc_misses=1200;ipc=" (2.1 - 0.1 * $c["threads"]) }'
    run --separate-stderr scripts/report "$c" "$rep"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    d="$rep/pmu"
    [ -s "$d/plots/cpu-work-2000000-skew-uniform-n64_ipc.svg" ] && [ -s "$d/plots/cpu-work-2000000-skew-uniform-n64_ipc.png" ]
    grep -qP '^8\t1.3\t' "$d/plots/data/cpu-work-2000000-skew-uniform-n64_ipc.dat"
    grep -q 'plots/cpu-work-2000000-skew-uniform-n64_ipc.svg' "$d/report.md"
    # only where they were counted: no other group gets an empty plot
    [ "$(grep -c '^ipc	' "$d/plots/plots.tsv")" -eq 1 ]
    check_plots "$d"
}

@test "a bar series with no value at all is left out of its plot, and gnuplot says nothing" {
    c=$(crafted_copy noseq)
    # every seq contention configuration disturbed: the cost plot's seq column would be empty
    csv_edit "$fixture/summary.csv" "$c/summary.csv" '
        $c["workload"] == "contention" && $c["backend"] == "seq" { $c["status"] = "disturbed"; $c["reps_disturbed"] = 5 }'
    run scripts/report "$c" "$rep"
    [ "$status" -eq 0 ]
    [[ $output != *warning* ]]
    head -1 "$rep/noseq/plots/data/contention_cost.dat" | grep -q 'pthread/pool'
    run ! grep -q 'seq' <(head -1 "$rep/noseq/plots/data/contention_cost.dat")
    # and with seq in the data, its column is there
    run scripts/report "$fixture" "$rep"
    head -1 "$rep/crafted/plots/data/contention_cost.dat" | grep -q 'seq$'
}
