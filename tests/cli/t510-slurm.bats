#!/usr/bin/env bats
# scripts/bench --slurm on a real one-node Slurm cluster of the test's own (slurm-helpers):
# a run folder per node carrying its job, a cancelled job resumed by the same command
# with no duplicate configuration, a failure on the node named by its job, --no-wait
# then collect, binaries built on the node, and nothing left once the cluster stops.
# Without root or Slurm's packages the tests that need the cluster are skipped.

load helpers
load slurm-helpers
bats_require_minimum_version 1.5.0

setup_file() {
    cd "$BATS_TEST_DIRNAME/../.." || return 1
    slurm_start
}

teardown_file() {
    slurm_stop
}

setup() {
    cd "$BATS_TEST_DIRNAME/../.." || return 1
    res="$BATS_TEST_TMPDIR/results"
    host=$(hostname -s)
    # No repetition counts as disturbed (other work would need over 10 times the spare
    # CPUs), so that a busy machine re-runs nothing and each configuration has its reps.
    export BENCH_FOREIGN_LIMIT=10
    printf 'sleep ms=5 tasks=4 threads=1,2 backends=seq,pthread,omp reps=2 warmup=0\n' >"$BATS_TEST_TMPDIR/small.suite"
}

need_cluster() {
    if [ -n "$TEST_SLURM_SKIP" ]; then skip "no Slurm cluster here: $TEST_SLURM_SKIP"; fi
}

# Runs the submitter with stdout and stderr apart: $status, $out, $err (files).
slurm_bench() {
    out="$BATS_TEST_TMPDIR/out.$((++calls))" err="$BATS_TEST_TMPDIR/err.$calls"
    status=0
    scripts/bench --no-build --slurm --results "$res" "$@" >"$out" 2>"$err" || status=$?
}

submitted_job() { sed -n 's/.*submitted 1 job to Slurm: \([0-9]*\) .*/\1/p' "$1"; }
# The jobs Slurm knows (every state) of the submissions in this test's results folder.
jobs_of() {
    local names
    names=$(cat "$res"/.slurm/*/submission.json 2>/dev/null | jq -r .job_name | paste -sd,)
    [ -z "$names" ] || squeue -h -t all --name="$names" -o '%i' | sort -n
}
configs_of() { tail -n +2 "$1/results.csv" | cut -d, -f1-7 | sort | uniq -c; }

@test "Slurm options: bad ones are one line on stderr, exit 2, nothing written" {
    for args in "--nodes 0" "--nodes 2 --nodelist a" "--resume r" \
                "--nodes many" "--sbatch '-p \"x'"; do
        eval "set -- $args"
        status=0
        scripts/bench --no-build --slurm "$@" --results "$res" quick >"$BATS_TEST_TMPDIR/o" 2>"$BATS_TEST_TMPDIR/e" || status=$?
        [ "$status" -eq 2 ] && [ "$(wc -l <"$BATS_TEST_TMPDIR/e")" -eq 1 ] || { echo "$args: $status"; cat "$BATS_TEST_TMPDIR/e"; return 1; }
    done
    run scripts/bench --no-build --no-wait quick
    [ "$status" -eq 2 ]
    [ "$output" = "scripts/bench: --no-wait: only with --slurm" ]
    [ ! -e "$res" ]
}

@test "Slurm refusals: more nodes than the partition has, a partition sbatch refuses; nothing submitted" {
    need_cluster
    slurm_bench --nodes 2 "$BATS_TEST_TMPDIR/small.suite"
    [ "$status" -eq 2 ]
    grep -qx "scripts/bench: --nodes: the default partition debug has 1 node in service ($host)" "$err"
    slurm_bench --sbatch "--partition=nowhere" "$BATS_TEST_TMPDIR/small.suite"
    [ "$status" -eq 2 ]
    grep -q "^scripts/bench: sbatch refused the job: .*nowhere\|^scripts/bench: sbatch refused the job: .*[Pp]artition" "$err"
    [ ! -e "$res" ]
    [ -z "$(squeue -h -t all -o %i)" ] # the cluster has had no job at all
}

@test "a suite through Slurm ends with a complete run folder that carries its job" {
    need_cluster
    slurm_bench "$BATS_TEST_TMPDIR/small.suite"
    [ "$status" -eq 0 ] || { cat "$err"; return 1; }
    job=$(submitted_job "$err")
    [ -n "$job" ]
    # stdout: the run folder, results/RUN_ID-HOST
    [ "$(wc -l <"$out")" -eq 1 ]
    run_dir=$(cat "$out")
    [[ ${run_dir##*/} =~ ^[0-9]{8}T[0-9]{6}-$host$ ]]
    [ "$(cat "$run_dir/state")" = complete ]
    grep -q "job $job on $host: $run_dir complete" "$err"
    jq -e --arg job "$job" --arg host "$host" --arg bin "$PWD/bin" '.slurm.job_id == $job
        and .slurm.job_ids == [$job] and .slurm.node == $host and .slurm.partition == "debug"
        and .slurm.build.folder == $bin and .slurm.build.built_on == $host
        and (.slurm.command | contains("--slurm")) and .finished' "$run_dir/meta.json"
    # an ordinary run: every configuration with its repetitions, all ok
    [ "$(configs_of "$run_dir" | awk '$1 == 2' | wc -l)" -eq 5 ]
    awk -F, 'NR > 1 && $26 != "ok" { bad = 1 } END { exit bad }' "$run_dir/summary.csv"
    # one exclusive job that Slurm says completed
    [ "$(jobs_of)" = "$job" ]
    scontrol show job "$job" | grep -q 'JobState=COMPLETED'
    scontrol show job "$job" | grep -q 'OverSubscribe=NO'
    # and the report that compares machines names the job
    run scripts/report "$run_dir" tests/fixtures/crafted-8core "$BATS_TEST_TMPDIR/report"
    [ "$status" -eq 0 ]
    grep -qx "| Slurm job | job $job on $host, partition debug | - |" "$(dirname "${lines[-1]}")/report.md"
}

@test "scancel in the middle, then the same command resumes the run with no duplicate configuration" {
    need_cluster
    printf 'sleep ms=40 tasks=4 threads=1,2,4,8 backends=seq,pthread,omp reps=2 warmup=0\n' >"$BATS_TEST_TMPDIR/nine.suite"
    scripts/bench --no-build --slurm --results "$res" "$BATS_TEST_TMPDIR/nine.suite" \
        >"$BATS_TEST_TMPDIR/out1" 2>"$BATS_TEST_TMPDIR/err1" 3>&- &
    pid=$!
    for _ in $(seq 300); do
        [ "$(cat "$res"/2*/done.txt 2>/dev/null | wc -l)" -ge 3 ] && break
        sleep 0.05
    done
    first=$(jobs_of)
    scancel "$first"
    status=0
    wait "$pid" || status=$?
    [ "$status" -eq 1 ]
    run_dir=$(cat "$BATS_TEST_TMPDIR/out1")
    [ "$(cat "$run_dir/state")" = interrupted ]
    done_before=$(wc -l <"$run_dir/done.txt")
    [ "$done_before" -ge 3 ] && [ "$done_before" -lt 9 ]
    grep -q "job $first on $host ended CANCELLED: ${run_dir##*/} is interrupted with [0-9] of 9 configurations; the same command again resumes it" "$BATS_TEST_TMPDIR/err1"

    slurm_bench "$BATS_TEST_TMPDIR/nine.suite"
    [ "$status" -eq 0 ] || { cat "$err"; return 1; }
    second=$(submitted_job "$err")
    grep -q "job $first ended unfinished; job $second on $host resumes ${run_dir##*/}" "$err"
    [ "$(cat "$out")" = "$run_dir" ]
    [ "$(ls "$res")" = "$(printf '%s\nlatest' "${run_dir##*/}")" ] # no second run folder
    [ "$(cat "$run_dir/state")" = complete ]
    # every configuration once, with exactly its 2 repetitions
    [ "$(configs_of "$run_dir" | wc -l)" -eq 9 ]
    configs_of "$run_dir" | awk '$1 != 2 { exit 1 }'
    jq -e --arg a "$first" --arg b "$second" '.slurm.job_ids == [$a, $b] and .slurm.job_id == $b' "$run_dir/meta.json"
}

@test "a suite that fails on the node exits non-zero and names the job" {
    need_cluster
    # a configuration that outlives its time limit: nothing the submitter can see coming
    printf '%s\n' 'sleep ms=5 tasks=4 threads=1,2 backends=seq,pthread reps=2 warmup=0' \
        'sleep ms=3000 tasks=1 backends=seq reps=1 warmup=0 timeout=1' >"$BATS_TEST_TMPDIR/bad.suite"
    slurm_bench "$BATS_TEST_TMPDIR/bad.suite"
    [ "$status" -eq 1 ]
    job=$(submitted_job "$err")
    run_dir=$(cat "$out")
    [ "$(cat "$run_dir/state")" = failed ]
    grep -q "^  job $job on $host ended FAILED: 1 configuration failed ($run_dir/failed.csv): sleep seq 1 threads: timed out after 1 s; its output: $res/.slurm/.*/job-$job.out$" "$err"
    scontrol show job "$job" | grep -q 'JobState=FAILED'
}

@test "--no-wait prints the job id; the same command without it collects the run" {
    need_cluster
    slurm_bench --no-wait --nodelist "$host" "$BATS_TEST_TMPDIR/small.suite"
    [ "$status" -eq 0 ]
    job=$(cat "$out")
    [[ $job =~ ^[0-9]+$ ]]
    [ "$(jobs_of)" = "$job" ]
    grep -q "the same command without --no-wait collects them" "$err"
    slurm_bench --nodelist "$host" "$BATS_TEST_TMPDIR/small.suite"
    [ "$status" -eq 0 ] || { cat "$err"; return 1; }
    grep -q "following submission .* of the same command (1 job" "$err"
    run ! grep -q "submitted" "$err"
    [ "$(jobs_of)" = "$job" ] # nothing submitted again
    run_dir=$(cat "$out")
    [ "$(cat "$run_dir/state")" = complete ]
    jq -e --arg job "$job" '.slurm.job_id == $job' "$run_dir/meta.json"
    # collected: the same command now starts a new submission
    slurm_bench --nodelist "$host" --no-wait "$BATS_TEST_TMPDIR/small.suite"
    [ "$status" -eq 0 ]
    [ "$(cat "$out")" != "$job" ]
    scancel "$(cat "$out")"
}

@test "--build-on-nodes: the node builds its own binaries in a folder of its host and compiler" {
    need_cluster
    rm -rf "build/hosts/$host-"*
    slurm_bench --build-on-nodes "$BATS_TEST_TMPDIR/small.suite"
    [ "$status" -eq 0 ] || { cat "$err"; return 1; }
    run_dir=$(cat "$out")
    tree=$(jq -r .slurm.build.folder "$run_dir/meta.json")
    [[ $tree == "$PWD/build/hosts/$host-"*/bin ]]
    jq -e --arg h "$host" '.slurm.build.built_on == $h and .slurm.build.why == "--build-on-nodes"' "$run_dir/meta.json"
    jq -e --arg t "$tree" '[.binaries[].path | startswith($t)] | all' "$run_dir/meta.json"
    [ -x "$tree/bench-omp" ] && [ "$tree/bench-omp" -nt "$BATS_TEST_TMPDIR/small.suite" ]
    [ "$(cat "$run_dir/state")" = complete ]
    rm -rf "build/hosts/$host-"*
}

@test "the cluster stops and leaves no daemon, job or folder behind" {
    need_cluster
    d=$TEST_SLURM_DIR
    slurm_stop
    [ ! -e "$d" ]
    [ -z "$(slurm_daemons "$d")" ]
    [ -z "$(pgrep -f "$d" || true)" ]
    [ -z "$(pgrep -f "bench-(seq|pthread|omp) sleep .*-p ms=(5|40)( |$)" || true)" ]
}
