#!/usr/bin/env bats
# bench/quick.suite end to end: every workload this build has, every file of a run, and
# summary.csv consistent with results.csv.

setup_file() {
    cd "$BATS_TEST_DIRNAME/../.." || return 1
    export RES="$BATS_FILE_TMPDIR/results"
    start=$(date +%s)
    scripts/bench --no-build --results "$RES" quick >"$BATS_FILE_TMPDIR/out" 2>"$BATS_FILE_TMPDIR/err"
    echo $(($(date +%s) - start)) >"$BATS_FILE_TMPDIR/seconds"
}

setup() {
    cd "$BATS_TEST_DIRNAME/../.." || return 1
    run_dir="$RES/latest"
}

@test "quick.suite runs and latest points at the run" {
    # The time is a figure to read (target: 60 s), not a pass/fail check.
    echo "# quick.suite: $(cat "$BATS_FILE_TMPDIR/seconds") s; $(grep -o 'runner overhead.*' "$BATS_FILE_TMPDIR/err")" >&3
    [ -L "$RES/latest" ]
    id=$(readlink "$RES/latest")
    [[ $id =~ ^[0-9]{8}T[0-9]{6}-[A-Za-z0-9._-]+$ ]]
    grep -q "runner overhead" "$BATS_FILE_TMPDIR/err"
}

@test "the run folder holds every file and no temporary one" {
    for f in results.csv summary.csv meta.json topology.xml suite.txt failed.csv; do
        [ -s "$run_dir/$f" ]
    done
    cmp bench/quick.suite "$run_dir/suite.txt"
    [ -z "$(find "$run_dir/" -name '*.tmp' -o -name '.config*')" ]
    grep -q '<topology' "$run_dir/topology.xml"
    [ "$(cat "$run_dir/failed.csv")" = "workload,backend,runtime,threads,tasks,schedule,bind,params,exit,error" ]
}

@test "results.csv: one header, rows exactly as the binaries print them, every workload" {
    head -n 1 "$run_dir/results.csv" | grep -q '^workload,backend,threads,tasks,schedule,bind,params,rep,wall_s,cpu_s,checksum,verified,runtime,placement,metrics,disturbed$'
    [ "$(grep -c '^workload,' "$run_dir/results.csv")" -eq 1 ]
    awk -F, -v n="$(head -n 1 "$run_dir/results.csv" | awk -F, '{ print NF }')" 'NF != n { exit 1 }' "$run_dir/results.csv"
    # plan.csv: one row per configuration of the suite's --list whose binary exists
    want=$(scripts/bench --no-build --list quick | awk -F'|' -v have="$(ls bin/)" 'NR > 1 && index(have, "bench-" $2) { n++ } END { print n }')
    [ "$(($(wc -l <"$run_dir/plan.csv") - 1))" -eq "$want" ]
    # each has exactly its reps of clean rows, or was given up after disturbed_max
    # disturbed ones (disturbed rows stay in results.csv and are re-run)
    awk -F, 'FNR == 1 { for (i = 1; i <= NF; i++) c[FILENAME, $i] = i; next }
        FILENAME == ARGV[1] { k = $1 "," $2 "," $c[FILENAME, "runtime"] "," $3 "," $4 "," $5 "," $6 "," $7
                               if ($NF == 1) dist[k]++; else clean[k]++; next }
        { k = $1 "," $2 "," $3 "," $4 "," $5 "," $6 "," $7 "," $8; n++
          if (clean[k] != $9 && dist[k] < $12) { print "wrong count:", k, clean[k], dist[k]; bad = 1 } }
        END { exit bad || n == 0 }' "$run_dir/results.csv" "$run_dir/plan.csv"
    for w in $(bin/bench-seq --list | awk '/^[a-z]/ { print $1 }'); do
        grep -q "^$w,seq," "$run_dir/results.csv"
        grep -q "^$w,pthread," "$run_dir/results.csv"
        grep -q "^$w,omp," "$run_dir/results.csv"
    done
}

@test "summary.csv: the contract's columns, one ok row per configuration" {
    [ "$(head -n 1 "$run_dir/summary.csv")" = "workload,backend,runtime,threads,tasks,schedule,bind,params,reps,reps_disturbed,median_s,min_s,max_s,mean_s,stddev_s,cv,ci_lo_s,ci_hi_s,ci_level,speedup,ideal_speedup,efficiency,noisy,short,verified,status,metrics" ]
    configs=$(tail -n +2 "$run_dir/results.csv" | cut -d, -f1-7,13 | sort -u | wc -l)
    [ "$(($(wc -l <"$run_dir/summary.csv") - 1))" -eq "$configs" ]
    # every row ok (or disturbed, when this machine was busy), with a speedup except
    # noop's, and verified except the racy counter, which loses updates on purpose
    awk -F, 'NR > 1 && (($26 != "ok" && $26 != "disturbed") || ($25 != 1 && $8 !~ /mode=racy/) || ($20 == "-") != ($1 == "noop")) { print; bad = 1 } END { exit bad }' "$run_dir/summary.csv"
    # seq is its own reference
    awk -F, 'NR > 1 && $2 == "seq" && $1 != "noop" && $20 != "1.0000" { bad = 1 } END { exit bad }' "$run_dir/summary.csv"
}

@test "meta.json: the machine, the run's keys and the knobs in force" {
    jq -e '.host and .cpu_model and .packages >= 1 and .cores >= 1 and .pus >= .cores
           and (.caches | length) >= 1 and .openmp.version and .openmp.runtime and .compiler
           and .cflags and .kernel and .allowed_pus' "$run_dir/meta.json"
    jq -e --arg id "$(readlink "$RES/latest")" '.run_id == $id and (.suite | endswith("quick.suite"))
           and (.command | contains("scripts/bench")) and .started and .finished
           and (.git_commit | length) >= 40 and (.env | type) == "object"
           and .binaries.seq.path and .binaries.omp.runtime and (.runner_overhead_ms_per_config | type) == "number"' "$run_dir/meta.json"
}

@test "knobs in the environment are passed through and recorded" {
    printf 'cpu work=1000 tasks=4 backends=omp reps=1 warmup=0\n' >"$BATS_TEST_TMPDIR/k.suite"
    OMP_NUM_THREADS=2 OMP_SCHEDULE=guided OMP_WAIT_POLICY=passive GOMP_SPINCOUNT=1000 \
        run scripts/bench --no-build --results "$BATS_TEST_TMPDIR/r" "$BATS_TEST_TMPDIR/k.suite"
    [ "$status" -eq 0 ]
    m="$BATS_TEST_TMPDIR/r/latest/meta.json"
    jq -e '.env == {"GOMP_SPINCOUNT": "1000", "OMP_NUM_THREADS": "2", "OMP_SCHEDULE": "guided", "OMP_WAIT_POLICY": "passive"}' "$m"
    jq -e '.command | startswith("GOMP_SPINCOUNT=1000 OMP_NUM_THREADS=2 OMP_SCHEDULE=guided OMP_WAIT_POLICY=passive scripts/bench")' "$m"
    tail -n 1 "$BATS_TEST_TMPDIR/r/latest/results.csv" | grep -q '^cpu,omp,2,4,guided,none,'
}
