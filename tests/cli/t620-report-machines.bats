#!/usr/bin/env bats
# The report that compares machines: two or more run folders (or a folder of them) give
# one page with the machines side by side, the thread rule's count per workload and
# machine, the findings that differ, the spread between nodes of one type, and every
# machine's speedup and efficiency on one plot per workload. The machines are crafted
# (tests/fixtures/crafted: 2 cores; crafted-8core: 8 cores, 2 NUMA nodes), so nothing
# depends on this one.

load report-helpers
bats_require_minimum_version 1.5.0

eight=tests/fixtures/crafted-8core

@test "two machines with different core counts: machine table, threads to use, every plot with both" {
    run --separate-stderr scripts/report "$fixture" "$eight" "$rep"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    d="$rep/machines-crafted+crafted-8core"
    [ "${lines[-1]}" = "$(cd "$rep" && pwd -P)/machines-crafted+crafted-8core/index.html" ]
    [ "$(readlink "$rep/latest")" = machines-crafted+crafted-8core ]
    md="$d/report.md"
    check_links "$d"
    check_plots "$d"
    grep -qx '|  | fixture-host | fixture-8c |' "$md"
    grep -qx '| CPU | Crafted CPU for tests @ 2.00GHz | Crafted 8-core CPU @ 3.00GHz |' "$md"
    grep -qx '| cores | 2 | 8 |' "$md"
    grep -qx '| PUs (allowed) | 2 (0-1) | 16 (0-15) |' "$md"
    grep -qx '| NUMA nodes | 1 | 2 |' "$md"
    grep -qx '| OpenMP runtimes | libgomp-12.2.0, libomp-14.0.6 | libgomp-12.2.0, libomp-14.0.6 |' "$md"
    # the thread rule per machine: cpu stops at each machine's cores, sleep at its tasks
    grep -qx '| workload and parameters | fixture-host (type A, 2 cores) | fixture-8c (type B, 8 cores) |' "$md"
    grep -q '^| cpu (work=2000000 skew=uniform, 64 tasks) | OMP_NUM_THREADS=2 (1x the cores; omp/libgomp-12.2.0 0.206 s \[0.2033 to 0.2107\]) | OMP_NUM_THREADS=8 (1x the cores; omp/libgomp-12.2.0 0.07499 s \[0.07469 to 0.07529\]) |$' "$md"
    grep -q '^| memory (mib=64 passes=1, 16 tasks) | OMP_NUM_THREADS=2 (1x the cores; .*) | OMP_NUM_THREADS=4 (0.5x the cores; .*) |$' "$md"
    grep -q '^| contention (mode=racy incs=100000, 64 tasks) | OMP_NUM_THREADS=2 .* | - (too short to tell: a median below 0.05 s, or 5 ms for work that waits) |$' "$md"
    # findings that differ, each machine's own sentence beside it; the same ones are counted
    grep -q '^- memory (mib=64 passes=1, 16 tasks): the thread rule for pthread/pool: fixture-host (type A): picks the core count (scaling of pthread/pool stops at 2 threads .*); fixture-8c (type B): picks fewer threads than the cores (scaling of pthread/pool stops at 4 threads .*)\.$' "$md"
    grep -q '^- cpu (work=2000000 skew=uniform, 64 tasks): bind=spread against no pinning: fixture-host (type A): faster .*; fixture-8c (type B): no change beyond the noise ' "$md"
    run ! grep -q '^- cpu (work=2000000 skew=uniform, 64 tasks): the thread rule for' "$md"
    grep -q 'other findings came out the same on every machine that made them' "$md"
    # a speedup and an efficiency plot per group both ran with a sequential run, each with both machines
    [ "$(grep -c '_machines_speedup.svg)$' "$md")" -eq 4 ]
    for p in sleep-ms-100-n32 cpu-work-2000000-skew-uniform-n64 cpu-work-2000000-skew-linear-n64 memory-mib-64-passes-1-n16; do
        for v in speedup efficiency; do
            grep -q "fixture-host" "$d/plots/${p}_machines_$v.svg"
            grep -q "fixture-8c" "$d/plots/${p}_machines_$v.svg"
        done
        grep -q '^# fixture-host pthread/pool: ' "$d/plots/data/${p}_machines.dat"
        grep -q '^# fixture-8c pthread/pool: ' "$d/plots/data/${p}_machines.dat"
    done
    # efficiency against threads per core: 8 threads on 8 cores and 2 on 2 are both at 1
    grep -qP '^8\t8.0000\t1.0000\t1$' "$d/plots/data/cpu-work-2000000-skew-uniform-n64_machines.dat"
    # each machine's data is there to read
    [ -f "$d/data/crafted-8core/topology.xml" ] && [ -f "$d/data/crafted/summary.csv" ]
}

@test "a folder of runs: nodes of one type are grouped and their spread is shown" {
    f="$BATS_TEST_TMPDIR/cluster"
    mkdir -p "$f"
    cp -r "$fixture" "$eight" "$f/"
    cp -r "$eight" "$f/crafted-8core-n2"
    jq '.host = "fixture-8c-2" | .run_id = "crafted-8core-n2"' "$eight/meta.json" >"$f/crafted-8core-n2/meta.json"
    # the second node of type B is 10% slower on cpu, and its memory bandwidth saturates
    # later (8 threads are faster than 4)
    csv_edit "$eight/summary.csv" "$f/crafted-8core-n2/summary.csv" '$c["workload"] == "cpu" && $c["status"] == "ok" {
        $c["median_s"] *= 1.1; $c["ci_lo_s"] *= 1.1; $c["ci_hi_s"] *= 1.1; if ($c["speedup"] != "-") $c["speedup"] /= 1.1 }
        $c["workload"] == "memory" && $c["threads"] >= 8 { $c["median_s"] *= 0.8; $c["ci_lo_s"] *= 0.8; $c["ci_hi_s"] *= 0.8 }'
    ln -s crafted "$f/latest"
    run --separate-stderr scripts/report "$f" "$rep"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    d=$(dirname "${lines[-1]}")
    md="$d/report.md"
    check_links "$d"
    check_plots "$d"
    # three machines (latest is crafted again), two types
    grep -qx '|  | fixture-host | fixture-8c | fixture-8c-2 |' "$md"
    grep -qx '| node type | A | B | B |' "$md"
    grep -qx -- '- Type B: Crafted 8-core CPU @ 3.00GHz, 8 cores, 16 PUs (2 nodes: fixture-8c, fixture-8c-2).' "$md"
    grep -qx '| workload and parameters | fixture-host (type A, 2 cores) | type B (2 nodes) |' "$md"
    grep -q '^| cpu (work=2000000 skew=uniform, 64 tasks) | OMP_NUM_THREADS=2 .* | OMP_NUM_THREADS=8 (1x the cores; omp/libgomp-12.2.0) on each of its 2 nodes (their medians: the spread below) |$' "$md"
    grep -q '^| sleep (ms=100, 32 tasks) | .* | OMP_NUM_THREADS=32 (4x the cores; .*) on each of its 2 nodes ' "$md"
    grep -q '^| memory (mib=64 passes=1, 16 tasks) | OMP_NUM_THREADS=2 .* | nodes differ: fixture-8c: OMP_NUM_THREADS=4 (0.5x the cores; omp/libgomp-12.2.0 0.1058 s .*); fixture-8c-2: OMP_NUM_THREADS=8 (1x the cores; .*) |$' "$md"
    # a difference between two nodes of one type is a finding that differs too
    grep -q '^- memory (mib=64 passes=1, 16 tasks): the thread rule for pthread/pool: fixture-host (type A): picks the core count .*; fixture-8c (type B): picks fewer threads than the cores .*; fixture-8c-2 (type B): picks the core count ' "$md"
    grep -q '^## Nodes of one type$' "$md"
    grep -qx '### type B: Crafted 8-core CPU @ 3.00GHz, 8 cores, 16 PUs' "$md"
    grep -q '^| cpu (work=2000000 skew=uniform, 64 tasks) | fixture-8c: 0.07499 s \[0.07469 to 0.07529\] | fixture-8c-2: 0.08249 s \[0.08216 to 0.08282\] | +10.0% | yes: the intervals are apart | all 8 |$' "$md"
    grep -q '^| sleep (ms=100, 32 tasks) | fixture-8c: 0.1099 s .* | +0.0% | no: the intervals overlap | all 32 |$' "$md"
    # on the plots, a type of several nodes is one legend entry (its spaces no-break
    # spaces, as gnuplot takes the titles as one list of words), its nodes one colour
    nb=$'\xc2\xa0'
    [ "$(grep -c "type${nb}B${nb}(2${nb}nodes):${nb}pthread/pool" "$d/plots/cpu-work-2000000-skew-uniform-n64_machines_speedup.svg")" -eq 1 ]
    [ "$(grep -c '^# fixture-8c-2 ' "$d/plots/data/cpu-work-2000000-skew-uniform-n64_machines.dat")" -eq 3 ]
}

@test "machines: bad input is one line on stderr, exit 2, nothing written" {
    run_quiet() { status=0; "$@" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" || status=$?; }
    mkdir -p "$BATS_TEST_TMPDIR/broken"
    cp "$fixture/meta.json" "$BATS_TEST_TMPDIR/broken/"
    run_quiet scripts/report "$fixture" "$BATS_TEST_TMPDIR/broken" "$rep"
    [ "$status" -eq 2 ]
    [ "$(wc -l <"$BATS_TEST_TMPDIR/err")" -eq 1 ]
    grep -q "RESULTS_DIR $BATS_TEST_TMPDIR/broken has no summary.csv" "$BATS_TEST_TMPDIR/err"
    # a run folder last is a run, not the report root: nothing may be written into it
    run_quiet scripts/report "$fixture" "$BATS_TEST_TMPDIR/broken"
    [ "$status" -eq 2 ]
    [ "$(ls "$BATS_TEST_TMPDIR/broken")" = meta.json ]
    mkdir -p "$BATS_TEST_TMPDIR/none"
    run_quiet scripts/report "$BATS_TEST_TMPDIR/none" "$rep"
    [ "$status" -eq 2 ]
    grep -q 'has no summary.csv (give a folder written by the suite runner, or a folder of them)' "$BATS_TEST_TMPDIR/err"
    [ ! -e "$rep" ]
}

@test "compare says when A and B are different machines, and still compares what both ran" {
    run scripts/compare "$fixture" "$eight"
    [ "$status" -eq 0 ]
    [[ $output == *"A and B are different machines: A ran on fixture-host (Crafted CPU for tests @ 2.00GHz, 2 cores, 2 PUs), B on fixture-8c (Crafted 8-core CPU @ 3.00GHz, 8 cores, 16 PUs)."* ]]
    [[ $output == *"| cpu | pthread/pool | 8 | 64 | static | none | work=2000000 skew=uniform | time (s) | 0.2217 | 0.07575 | 0.342 | faster in B |"* ]]
    [[ $output == *"- only in B: sleep pthread/pool, 32 threads, 32 tasks, static, bind=none, ms=100"* ]]
    # the same machine twice: no such line
    run scripts/compare "$fixture" "$(crafted_copy same)"
    [[ $output != *"different machines"* ]]
}

@test "a real run of this machine beside the crafted 8-core one: both in the table and in every comparison plot" {
    # one sweep in common with the crafted machine (memory, 64 MiB, 16 tasks), so that
    # there is a comparison plot to check
    printf 'memory mib=64 tasks=16 threads=1,2 backends=seq,pthread reps=3 warmup=0\n' >"$BATS_TEST_TMPDIR/m.suite"
    # (no repetition counts as disturbed: a busy machine must not leave seq without a median)
    BENCH_FOREIGN_LIMIT=10 run scripts/bench --no-build --results "$BATS_TEST_TMPDIR/results" "$BATS_TEST_TMPDIR/m.suite"
    [ "$status" -eq 0 ] || [ "$status" -eq 1 ]
    here="$BATS_TEST_TMPDIR/results/latest"
    host=$(jq -r .host "$here/meta.json")
    run --separate-stderr scripts/report "$here" "$eight" "$rep"
    [ "$status" -eq 0 ]
    d=$(dirname "${lines[-1]}")
    check_links "$d"
    check_plots "$d"
    grep -qx "|  | $host | fixture-8c |" "$d/report.md"
    grep -qx "| cores | $(jq -r .cores "$here/meta.json") | 8 |" "$d/report.md"
    grep -q "^| memory (mib=64 passes=1, 16 tasks) | .* | OMP_NUM_THREADS=4 (0.5x the cores; .*) |$" "$d/report.md"
    n=0
    for svg in "$d"/plots/*_machines_*.svg; do
        grep -q "$host:" "$svg" && grep -q "fixture-8c:" "$svg" || { echo "not both machines: $svg"; return 1; }
        n=$((n + 1))
    done
    [ "$n" -eq 2 ] # memory's speedup and efficiency
    grep -q "^# $host pthread/pool: " "$d/plots/data/memory-mib-64-passes-1-n16_machines.dat"
}
