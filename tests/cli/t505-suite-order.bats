#!/usr/bin/env bats
# The runner's order and stop rule: configurations visited in shuffled rounds per suite
# line (or in suite order), a seed that replays the order, plan.csv, repetitions until
# bench-summary's rule is met, disturbed repetitions kept and re-run up to their bound.
# Which repetitions are disturbed is made up by a wrapper around bench-pthread, so that
# nothing here depends on how busy the machine is.

setup() {
    cd "$BATS_TEST_DIRNAME/../.." || return 1
    res="$BATS_TEST_TMPDIR/results"
    export BENCH_FOREIGN_LIMIT=10 # no real repetition counts as disturbed
}

# visits of results/latest, as "key round" lines in the order they ran
visits() { awk -F'\t' '{ print $1, $3 }' "$res/latest/done.txt"; }

# A copy of the project whose bench-pthread marks repetitions disturbed as FAKE_DISTURB
# says: "first" the first repetition of every visit of more than one, "all" every one.
fake_project() {
    proj="$BATS_TEST_TMPDIR/proj"
    mkdir -p "$proj/bin"
    ln -s "$PWD/scripts" "$proj/scripts"
    for f in bin/*; do [ "$f" = bin/bench-pthread ] || ln -s "$PWD/$f" "$proj/$f"; done
    cat >"$proj/bin/bench-pthread" <<EOF
#!/usr/bin/env bash
reps=1 prev=
for a in "\$@"; do [ "\$prev" = -r ] && reps=\$a; prev=\$a; done
echo "\$*" >>"$BATS_TEST_TMPDIR/calls"
"$PWD/bin/bench-pthread" "\$@" | awk -F, -v OFS=, -v reps="\$reps" -v how="\${FAKE_DISTURB:-}" '
    NR == 1 { csv = /^workload,/; print; next }
    !csv { print; next }
    { \$NF = (how == "all" || (how == "first" && \$8 == 1 && reps > 1)) ? 1 : 0; print }'
exit "\${PIPESTATUS[0]}"
EOF
    chmod +x "$proj/bin/bench-pthread"
}

summary_field() { # config-prefix column: the value of a column of summary.csv's row
    awk -F, -v want="$1" -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        index($0, want) == 1 { print $c[name] }' "$res/latest/summary.csv"
}

@test "interleaved: rounds per suite line, each in a shuffled order the seed replays" {
    printf '%s\n' 'sleep ms=1 tasks=1 threads=1,2,3,4,5 backends=seq,pthread reps=2 warmup=0' \
        'cpu work=1000 tasks=1 threads=1,2,3,4,5 backends=seq,omp reps=2 warmup=0' >"$BATS_TEST_TMPDIR/o.suite"
    run scripts/bench --no-build --results "$res" --visit 1 --seed 7 "$BATS_TEST_TMPDIR/o.suite"
    [ "$status" -eq 0 ]
    first=$(visits)
    jq -e '.order == "interleaved" and .seed == 7 and .visit_reps == 1' "$res/latest/meta.json"
    # 12 configurations, 2 visits of 1 repetition each; line 1's before line 2's, and in
    # each line every configuration once (round 0) before any twice (round 1)
    [ "$(wc -l <<<"$first")" -eq 24 ]
    [ "$(head -n 12 <<<"$first" | grep -c '^sleep')" -eq 12 ]
    [ "$(awk '{ print substr($1, 1, 3), $2 }' <<<"$first" | uniq | tr '\n' ' ')" = "sle 0 sle 1 cpu 0 cpu 1 " ]
    # shuffled: round 0 of line 1 is not in suite (plan) order, and rounds differ
    plan=$(awk -F, 'NR > 1 && $1 == "sleep" { print $1 "|" $2 "|" $3 "|" $4 "|" $5 "|" $6 "|" $7 "|" $8 }' "$res/latest/plan.csv")
    [ "$(sed -n '1,6p' <<<"$first" | cut -d' ' -f1)" != "$plan" ]
    [ "$(sed -n '1,6p' <<<"$first" | cut -d' ' -f1)" != "$(sed -n '7,12p' <<<"$first" | cut -d' ' -f1)" ]
    [ "$(sed -n '1,6p' <<<"$first" | cut -d' ' -f1 | sort)" = "$(sort <<<"$plan")" ]
    # the same seed, the same order
    run scripts/bench --no-build --new --results "$res" --visit 1 --seed 7 "$BATS_TEST_TMPDIR/o.suite"
    [ "$status" -eq 0 ]
    [ "$(visits)" = "$first" ]
    # without --seed, a seed is drawn and recorded
    run scripts/bench --no-build --new --results "$res" "$BATS_TEST_TMPDIR/o.suite"
    [ "$status" -eq 0 ]
    jq -e '(.seed | type) == "number" and .visit_reps == 3' "$res/latest/meta.json"
    [ "$(wc -l <"$res/latest/done.txt")" -eq 12 ] # reps=2: one visit of 2 each
}

@test "--order suite: one configuration after the other, in suite order" {
    printf '%s\n' 'sleep ms=1 tasks=1 threads=1,2,3 backends=seq,pthread reps=3 warmup=0' >"$BATS_TEST_TMPDIR/s.suite"
    run scripts/bench --no-build --results "$res" --order suite --visit 1 "$BATS_TEST_TMPDIR/s.suite"
    [ "$status" -eq 0 ]
    [ "$(visits | cut -d' ' -f1)" = "$(awk -F, 'NR > 1 { print $1 "|" $2 "|" $3 "|" $4 "|" $5 "|" $6 "|" $7 "|" $8 }' "$res/latest/plan.csv")" ]
    jq -e '.order == "suite"' "$res/latest/meta.json"
    [ "$(($(wc -l <"$res/latest/results.csv") - 1))" -eq 12 ]
}

@test "plan.csv: one row per configuration with its rule; --reps overrides the suite" {
    printf '%s\n' 'sleep ms=1 tasks=2 threads=2 backends=seq,pthread reps=3 warmup=0' \
        'cpu work=1000 tasks=2 threads=2 backends=omp reps=auto min_reps=2 max_reps=4 ci=1.5%' >"$BATS_TEST_TMPDIR/p.suite"
    run scripts/bench --no-build --results "$res" "$BATS_TEST_TMPDIR/p.suite"
    [ "$status" -eq 0 ]
    p="$res/latest/plan.csv"
    [ "$(head -n 1 "$p")" = "workload,backend,runtime,threads,tasks,schedule,bind,params,reps_min,reps_max,ci_target,disturbed_max" ]
    [ "$(sed -n 2p "$p")" = "sleep,seq,none,1,2,static,none,ms=1,3,3,0,6" ]
    [ "$(sed -n 3p "$p")" = "sleep,pthread,pool,2,2,static,none,ms=1,3,3,0,6" ]
    sed -n 4p "$p" | grep -q '^cpu,omp,libgomp[^,]*,2,2,static,none,work=1000;skew=uniform,2,4,0.015,4$'
    run scripts/bench --no-build --new --results "$res" --reps auto "$BATS_TEST_TMPDIR/p.suite"
    [ "$status" -eq 0 ]
    [ "$(cut -d, -f9-12 "$p" | sort -u | tr '\n' ' ')" = "2,4,0.015,4 5,30,0.02,10 reps_min,reps_max,ci_target,disturbed_max " ]
    jq -e '.reps == "auto"' "$res/latest/meta.json"
}

@test "reps=auto runs until bench-summary's rule is met, within min and max" {
    # a target no timing meets: the rule asks for more until max_reps
    printf '%s\n' 'sleep ms=2 tasks=2 threads=2 backends=seq,pthread,omp reps=auto min_reps=3 max_reps=7 ci=0.001%' >"$BATS_TEST_TMPDIR/a.suite"
    run scripts/bench --no-build --results "$res" "$BATS_TEST_TMPDIR/a.suite"
    [ "$status" -eq 0 ]
    d="$res/latest"
    run bin/bench-summary --plan "$d/plan.csv" --todo "$d/results.csv"
    [ "$(cut -d, -f4 <<<"$output" | sort -u | tr '\n' ' ')" = "0 more " ]
    awk -F, 'NR > 1 && ($9 < 3 || $9 > 7 || $26 != "ok") { exit 1 }' "$d/summary.csv"
    [ "$(grep -c ',ok,' "$d/summary.csv")" -eq 3 ]
}

@test "disturbed repetitions stay in results.csv and are re-run; past disturbed_max, given up" {
    fake_project
    printf '%s\n' 'sleep ms=1 tasks=2 threads=2 backends=seq,pthread reps=3 warmup=0' >"$BATS_TEST_TMPDIR/d.suite"
    FAKE_DISTURB=first run "$proj/scripts/bench" --no-build --results "$res" --visit 3 "$BATS_TEST_TMPDIR/d.suite"
    [ "$status" -eq 0 ]
    d="$res/latest"
    # pthread: a visit of 3 (its first disturbed), then one more repetition, clean
    [ "$(grep -c '^sleep,pthread,.*,1$' "$d/results.csv")" -eq 1 ]
    [ "$(grep -c '^sleep,pthread,.*,0$' "$d/results.csv")" -eq 3 ]
    [ "$(summary_field sleep,pthread reps),$(summary_field sleep,pthread reps_disturbed),$(summary_field sleep,pthread status)" = "3,1,ok" ]
    [ "$(grep -c -- '-n 2 -r 1 ' "$BATS_TEST_TMPDIR/calls")" -eq 1 ]
    [[ $output == *"1 repetition disturbed by other work, left out"* ]]

    # every repetition disturbed: visits until 2 x reps are used up, then given up (a
    # visit of 2, then, its repetitions being short, visits of all 3 still needed)
    FAKE_DISTURB=all run "$proj/scripts/bench" --no-build --new --results "$res" --visit 2 "$BATS_TEST_TMPDIR/d.suite"
    [ "$status" -eq 0 ]
    [ "$(grep -c '^sleep,pthread,' "$d/results.csv")" -eq 8 ]
    [ "$(summary_field sleep,pthread status)" = disturbed ]
    [ "$(summary_field sleep,seq status)" = ok ]
    [[ $output == *"(1 ok, 1 disturbed)"* ]]
}

@test "--wait-quiet reaches every visit; --foreign-limit sets BENCH_FOREIGN_LIMIT; both recorded" {
    fake_project
    unset BENCH_FOREIGN_LIMIT
    printf '%s\n' 'sleep ms=1 tasks=2 threads=1,2 backends=pthread reps=1 warmup=0' >"$BATS_TEST_TMPDIR/w.suite"
    run "$proj/scripts/bench" --no-build --results "$res" --wait-quiet 0 --foreign-limit 9.5 "$BATS_TEST_TMPDIR/w.suite"
    [ "$status" -eq 0 ]
    [ "$(grep -c -- '-r 1 .*--wait-quiet 0$' "$BATS_TEST_TMPDIR/calls")" -eq 2 ]
    jq -e '.wait_quiet == 0 and .foreign_limit == 9.5 and .env.BENCH_FOREIGN_LIMIT == "9.5"' "$res/latest/meta.json"
    run scripts/bench --no-build --results "$res" --wait-quiet soon --list quick
    [ "$status" -eq 2 ]
    [ "$output" = "scripts/bench: --wait-quiet: expected seconds, a number from 0 to 3600, got 'soon'" ]
    run scripts/bench --no-build --results "$res" --foreign-limit 0 --list quick
    [ "$status" -eq 2 ]
    [[ $output == "scripts/bench: --foreign-limit: expected "* ]]
    [ "${#lines[@]}" -eq 1 ]
}

@test "bad runner options are one line and exit 2, leaving nothing" {
    for args in "--order random" "--visit 0" "--seed -1" "--reps 0" "--reps many" "--resume" \
                "--resume x --visit 2" "--resume x --new"; do
        # shellcheck disable=SC2086 # the arguments are meant to split
        run scripts/bench --no-build --results "$res" $args
        [ "$status" -eq 2 ]
        [ "${#lines[@]}" -eq 1 ]
        [[ $output == "scripts/bench: "* ]]
    done
    [ ! -e "$res" ]
}

@test "the runner's code: Python that compiles and pyflakes passes, a shell wrapper shellcheck passes" {
    python3 -c 'import ast, sys; [ast.parse(open(f).read(), f) for f in sys.argv[1:]]' scripts/lib/*.py
    command -v pyflakes3 >/dev/null || skip "pyflakes3 is not installed (make deps installs it)"
    pyflakes3 scripts/lib/*.py
    shellcheck scripts/bench
}
