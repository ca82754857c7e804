#!/usr/bin/env bats
# Interrupting a run (SIGINT, SIGTERM, a killed runner) keeps every complete configuration
# and no partial row; --resume or the same command again finishes it with the same set of
# configurations as an uninterrupted run.

load helpers

setup() {
    cd "$BATS_TEST_DIRNAME/../.." || return 1
    sid=''
    res="$BATS_TEST_TMPDIR/results"
    # No repetition counts as disturbed (other work would need over 10 times the spare
    # CPUs), so that a busy machine re-runs nothing and each configuration is one visit.
    export BENCH_FOREIGN_LIMIT=10
    # 9 configurations of about 0.1 s each
    printf '%s\n' '# resume test' \
        'sleep ms=25 tasks=4 threads=1,2,4,8 backends=seq,pthread,omp reps=2 warmup=0' >"$BATS_TEST_TMPDIR/r.suite"
}

teardown() {
    if [ -n "$sid" ]; then pkill -KILL -s "$sid" || true; fi
}

configs_of() { tail -n +2 "$1/results.csv" | cut -d, -f1-7 | sort | uniq -c; }

# Starts the runner, waits until $1 configurations are complete, then sends signal $2.
interrupt_after() {
    interrupt_runner "$2" "[ \"\$(cat \"\$res\"/*/done.txt 2>/dev/null | wc -l)\" -ge $1 ]" \
        --results "$res" "$BATS_TEST_TMPDIR/r.suite"
}

check_clean() { # no partial row, no temp file, no binary left running
    local d=$1 n
    n=$(head -n 1 "$d/results.csv" | awk -F, '{ print NF }')
    awk -F, -v n="$n" 'NF != n { exit 1 }' "$d/results.csv"
    [ "$(tail -c 1 "$d/results.csv" | od -An -c | tr -d ' ')" = '\n' ]
    [ -z "$(find "$d/" -name '.config*' -o -name '*.tmp')" ]
    [ -z "$(pgrep -s "${sid:-0}" -f "bench-(seq|pthread|omp) sleep -t [0-9]+ -n 4 ")" ]
    # every configuration present has all its rows
    configs_of "$d" | awk '$1 != 2 { exit 1 }'
}

@test "SIGINT stops the sweep, keeps complete configurations; the same command resumes" {
    interrupt_after 3 INT
    [ "$status" -eq 130 ]
    run_dir=$(readlink -f "$res/latest")
    [ "$(cat "$run_dir/state")" = interrupted ]
    grep -q "Resume with: scripts/bench --resume ${run_dir##*/}" "$BATS_TEST_TMPDIR/out"
    check_clean "$run_dir"
    done_before=$(wc -l <"$run_dir/done.txt")
    [ "$done_before" -ge 3 ] && [ "$done_before" -lt 9 ]
    [ "$(configs_of "$run_dir" | wc -l)" -eq "$done_before" ]

    run scripts/bench --no-build --results "$res" "$BATS_TEST_TMPDIR/r.suite"
    [ "$status" -eq 0 ]
    [[ $output == *"resuming ${run_dir##*/}"* ]]
    [[ $output == *"$done_before of 9 configurations already complete"* ]]
    [ "$(ls "$res" | wc -l)" -eq 2 ] # the run and latest: no second run folder
    check_clean "$run_dir"
    [ "$(cat "$run_dir/state")" = complete ]

    # the same set as an uninterrupted run
    run scripts/bench --no-build --new --results "$res" "$BATS_TEST_TMPDIR/r.suite"
    [ "$status" -eq 0 ]
    fresh=$(readlink -f "$res/latest")
    [ "$fresh" != "$run_dir" ]
    [ "$(configs_of "$run_dir")" = "$(configs_of "$fresh")" ]
    [ "$(cut -d, -f1-8 "$run_dir/summary.csv" | sort)" = "$(cut -d, -f1-8 "$fresh/summary.csv" | sort)" ]
}

@test "SIGTERM, then --resume RUN_ID" {
    interrupt_after 2 TERM
    [ "$status" -eq 143 ]
    run_dir=$(readlink -f "$res/latest")
    check_clean "$run_dir"
    run scripts/bench --no-build --results "$res" --resume "${run_dir##*/}"
    [ "$status" -eq 0 ]
    check_clean "$run_dir"
    [ "$(configs_of "$run_dir" | wc -l)" -eq 9 ]
    # the command recorded is the one that started the run, which reproduces it
    jq -e '.finished != null and (.command | contains("--resume") | not)' "$run_dir/meta.json"
}

@test "rows of a configuration cut short by a killed runner are dropped on resume" {
    interrupt_after 2 INT
    run_dir=$(readlink -f "$res/latest")
    # what a runner killed with SIGKILL in the middle of an append leaves behind
    tail -n 1 "$run_dir/results.csv" | sed 's/,seq,1,/,omp,8,/' >>"$run_dir/results.csv"
    printf 'sleep,omp,8,4,static,none,ms=25,1,0.0' >>"$run_dir/results.csv"
    run scripts/bench --no-build --results "$res" "$BATS_TEST_TMPDIR/r.suite"
    [ "$status" -eq 0 ]
    check_clean "$run_dir"
    [ "$(configs_of "$run_dir" | wc -l)" -eq 9 ]
}

@test "a second runner on the same run is refused while the first holds it" {
    scripts/bench --no-build --results "$res" "$BATS_TEST_TMPDIR/r.suite" >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 200); do [ -s "$res/latest/done.txt" ] && break; sleep 0.05; done
    kill -STOP "$pid"
    run_dir=$(readlink -f "$res/latest")
    run scripts/bench --no-build --results "$res" --resume "${run_dir##*/}"
    kill -CONT "$pid"
    wait "$pid"
    [ "$status" -eq 1 ]
    [[ $output == *"is being run by another runner"* ]]
    check_clean "$run_dir"
    [ "$(configs_of "$run_dir" | wc -l)" -eq 9 ]
}

@test "the finished repetitions of the interrupted configuration are kept in partial.csv" {
    printf 'sleep ms=400 tasks=1 threads=1 backends=pthread reps=4 warmup=0\n' >"$BATS_TEST_TMPDIR/p.suite"
    interrupt_runner INT '[ "$(cat "$res"/latest/.config.csv 2>/dev/null | wc -l)" -ge 2 ]' \
        --results "$res" "$BATS_TEST_TMPDIR/p.suite"
    [ "$status" -eq 130 ]
    run_dir=$(readlink -f "$res/latest")
    kept=$(($(wc -l <"$run_dir/partial.csv") - 1))
    [ "$kept" -ge 1 ] && [ "$kept" -lt 4 ]
    [ "$(head -n 1 "$run_dir/partial.csv")" = "$(head -n 1 "$run_dir/results.csv")" ]
    awk -F, 'NR > 1 && (NF != 16 || $12 != 1) { exit 1 }' "$run_dir/partial.csv"
    [ "$(wc -l <"$run_dir/results.csv")" -eq 1 ] # only whole configurations go there
    [ "$kept" -eq 1 ] && word=repetition || word=repetitions
    grep -q "kept the $kept finished $word" "$BATS_TEST_TMPDIR/out"
    # resuming runs the configuration in full
    run scripts/bench --no-build --results "$res" "$BATS_TEST_TMPDIR/p.suite"
    [ "$status" -eq 0 ]
    [ "$(wc -l <"$run_dir/results.csv")" -eq 5 ]
}
