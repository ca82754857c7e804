#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
# Pinning as a user sees it: -b/BENCH_BIND policies, where each thread was observed (the
# placement column), restricted cpusets (taskset), OMP_PROC_BIND handing placement to
# the runtime, and the one-line errors for bad policies.

bats_require_minimum_version 1.5.0

setup() {
    cd "$BATS_TEST_DIRNAME/../.." || exit 1
    npus=$(nproc --all)
}

# The placement column (14th) of every row, one per line.
placements() {
    printf '%s\n' "$output" | awk -F, 'NR > 1 { print $14 }'
}

# Checks that every row of $output has placement $1 and no misplaced thread.
all_rows_placed() {
    local got rows
    rows=$(printf '%s\n' "$output" | awk 'NR > 1' | wc -l)
    [ "$rows" -ge 1 ]
    got=$(placements | sort -u)
    if [ "$got" != "$1" ]; then
        echo "placement: expected $1, got: $got"
        return 1
    fi
    if printf '%s\n' "$output" | awk -F, 'NR > 1 { print $15 }' | grep -q 'misplaced=[1-9]'; then
        echo "a row counts misplaced threads: $output"
        return 1
    fi
}

# One line on stderr naming the source, listing the allowed PUs; nothing on stdout.
usage_error() {
    [ "$status" -eq 2 ]
    [ -z "$output" ]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
    [[ $stderr == *"$1"* ]] || { echo "stderr does not name $1: $stderr"; return 1; }
    [[ $stderr == *"$2"* ]] || { echo "stderr does not list $2: $stderr"; return 1; }
}

need_two_pus() {
    [ "$npus" -ge 2 ] || skip "needs 2 PUs"
    taskset -c 0,1 true 2>/dev/null || skip "PUs 0 and 1 are not both allowed"
}

@test "-b pu: each pthread pool thread is seen only on its own PU" {
    need_two_pus
    run --separate-stderr bin/bench-pthread cpu -t 2 -n 16 -r 3 -b pu
    [ "$status" -eq 0 ]
    all_rows_placed "0:0;1:1"
    printf '%s\n' "$output" | awk -F, 'NR > 1 && $6 != "pu" { exit 1 }'
}

@test "-b pu: each OpenMP thread is seen only on its own PU" {
    need_two_pus
    run --separate-stderr bin/bench-omp cpu -t 2 -n 16 -r 3 -b pu
    [ "$status" -eq 0 ]
    all_rows_placed "0:0;1:1"
}

@test "the same policy maps threads the same way in bench-pthread and bench-omp" {
    need_two_pus
    for policy in core pu compact spread 1,0; do
        run --separate-stderr bin/bench-pthread cpu -t 3 -n 30 -r 1 -w 0 -b "$policy"
        [ "$status" -eq 0 ]
        pool=$(placements)
        run --separate-stderr bin/bench-omp cpu -t 3 -n 30 -r 1 -w 0 -b "$policy"
        [ "$status" -eq 0 ]
        [ "$(placements)" = "$pool" ] || { echo "$policy: pool $pool, omp $(placements)"; false; }
    done
}

@test "a PU list keeps its order and wraps around; the bind column has no comma" {
    need_two_pus
    run --separate-stderr bin/bench-pthread cpu -t 3 -n 30 -r 2 -b 1,0
    [ "$status" -eq 0 ]
    all_rows_placed "0:1;1:0;2:1"
    printf '%s\n' "$output" | awk -F, 'NR > 1 && ($6 != "1;0" || NF != 16) { exit 1 }'
}

@test "the sequential build binds its one thread as thread 0" {
    need_two_pus
    run --separate-stderr bin/bench-seq cpu -n 4 -r 2 -b 1
    [ "$status" -eq 0 ]
    all_rows_placed "0:1"
}

@test "BENCH_BIND sets the default policy and -b overrides it" {
    need_two_pus
    BENCH_BIND=1 run --separate-stderr bin/bench-pthread cpu -t 2 -n 8 -r 1
    [ "$status" -eq 0 ]
    all_rows_placed "0:1;1:1"
    BENCH_BIND=1 run --separate-stderr bin/bench-pthread cpu -t 2 -n 8 -r 1 -b 0
    [ "$status" -eq 0 ]
    all_rows_placed "0:0;1:0"
}

@test "-b none records where the kernel ran each thread, without checking" {
    run --separate-stderr bin/bench-pthread cpu -t 2 -n 16 -r 2 -b none
    [ "$status" -eq 0 ]
    placements | grep -Eqx '0:[0-9.-]+;1:[0-9.-]+'
    if printf '%s\n' "$output" | awk -F, 'NR > 1 { print $15 }' | grep -q misplaced; then
        echo "misplaced counted although nothing was bound: $output"
        false
    fi
}

@test "under taskset -c 1 the default and every policy use PU 1 only" {
    need_two_pus
    for bin in bench-seq bench-pthread bench-omp; do
        run --separate-stderr taskset -c 1 "bin/$bin" cpu -n 8 -r 1
        [ "$status" -eq 0 ]
        all_rows_placed "0:1"
        for policy in none core pu compact spread 1; do
            run --separate-stderr taskset -c 1 "bin/$bin" cpu -n 8 -r 1 -b "$policy"
            [ "$status" -eq 0 ]
            all_rows_placed "0:1"
        done
    done
    for policy in none core pu compact spread 1; do
        run --separate-stderr taskset -c 1 bin/bench-omp cpu -t 2 -n 8 -r 1 -b "$policy"
        [ "$status" -eq 0 ]
        all_rows_placed "0:1;1:1"
    done
}

@test "with OMP_PROC_BIND=true bench-omp leaves placement to the runtime and records it" {
    need_two_pus
    OMP_PROC_BIND=true run --separate-stderr bin/bench-omp cpu -t 2 -n 16 -r 2
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    printf '%s\n' "$output" | awk -F, 'NR > 1 && $6 != "runtime:OMP_PROC_BIND=true" { exit 1 }'
    # libgomp puts thread 0 on the first place, PU 0.
    placements | grep -Eqx '0:0;1:[0-9.-]+'
}

@test "a policy besides the runtime's placement is refused, not dropped, in run and check" {
    OMP_PROC_BIND=true run --separate-stderr bin/bench-omp cpu -t 2 -b 1
    usage_error "-b/--bind: policy '1' cannot apply" "OMP_PROC_BIND=true"
    OMP_PROC_BIND=true run --separate-stderr bin/bench-omp --check -b 1
    usage_error "-b/--bind: policy '1' cannot apply" "OMP_PROC_BIND=true"
    BENCH_BIND=compact OMP_PLACES=cores run --separate-stderr bin/bench-omp cpu
    usage_error "BENCH_BIND: policy 'compact' cannot apply" "OMP_PLACES=cores"
    OMP_PROC_BIND=spread run --separate-stderr bin/bench-omp --check cpu -b none
    [ "$status" -eq 0 ] && [ -z "$stderr" ]
    # The pool has no runtime placement: the policy applies there.
    OMP_PROC_BIND=true run --separate-stderr bin/bench-pthread --check cpu -b compact
    [ "$status" -eq 0 ] && [ -z "$stderr" ]
}

@test "OMP_PROC_BIND=false leaves pinning to -b in bench-omp" {
    need_two_pus
    OMP_PROC_BIND=false run --separate-stderr bin/bench-omp cpu -t 2 -n 16 -r 1 -b 1
    [ "$status" -eq 0 ]
    printf '%s\n' "$output" | awk -F, 'NR > 1 && $6 != "1" { exit 1 }'
    all_rows_placed "0:1;1:1"
}

@test "OMP_PLACES with commas stays CSV-safe in the bind column" {
    OMP_PLACES='{0},{1}' run --separate-stderr bin/bench-omp cpu -t 2 -n 4 -r 1
    [ "$status" -eq 0 ]
    printf '%s\n' "$output" |
        awk -F, 'NR > 1 && ($6 != "runtime:OMP_PLACES={0};{1}" || NF != 16) { exit 1 }'
}

@test "bench-pthread ignores OMP_PROC_BIND: the pool is pinned by -b only" {
    need_two_pus
    OMP_PROC_BIND=true run --separate-stderr bin/bench-pthread cpu -t 2 -n 8 -r 1 -b 1
    [ "$status" -eq 0 ]
    all_rows_placed "0:1;1:1"
}

@test "bad policies exit 2 naming -b/--bind and listing the allowed PUs" {
    allowed=$(bin/bench-seq --describe | grep -o '"allowed_pus":"[^"]*"' | cut -d'"' -f4)
    for bad in foo "" Spread 1- 0,,1 3-1 "0 1" 99999 100000000000; do
        run --separate-stderr bin/bench-pthread cpu -b "$bad"
        usage_error "-b/--bind" "$allowed"
    done
    run --separate-stderr bin/bench-omp cpu --bind=bogus
    usage_error "-b/--bind: unknown policy 'bogus'" "$allowed"
}

@test "a bad BENCH_BIND exits 2 naming it, even when -b is given" {
    BENCH_BIND=everywhere run --separate-stderr bin/bench-pthread cpu -b none
    usage_error "BENCH_BIND" "allowed PUs"
    BENCH_BIND=4096 run --separate-stderr bin/bench-seq cpu
    usage_error "BENCH_BIND: PU 4096" "allowed PUs"
}

@test "a PU outside the allowed cpuset is refused with the allowed list" {
    need_two_pus
    for bin in bench-seq bench-pthread bench-omp; do
        run --separate-stderr taskset -c 1 "bin/$bin" cpu -b 0
        usage_error "-b/--bind: PU 0 " "allowed PUs: 1)"
    done
}

@test "a thread moved off its cpuset during the run is flagged and fails the run" {
    need_two_pus
    out=$BATS_TEST_TMPDIR/rows.csv err=$BATS_TEST_TMPDIR/stderr
    bin/bench-pthread sleep -t 2 -n 40 -p ms=50 -r 1 -w 0 -b 0 >"$out" 2>"$err" &
    pid=$!
    # Once both threads exist and have bound themselves (at open, before any task)...
    for _ in $(seq 50); do
        [ "$(find /proc/"$pid"/task -mindepth 1 -maxdepth 1 | wc -l)" -ge 2 ] && break
        sleep 0.1
    done
    sleep 0.2
    # Another process re-pins every thread to PU 1 behind the binary's back.
    for task in /proc/"$pid"/task/*; do
        taskset -p -c 1 "${task##*/}" >/dev/null
    done
    rc=0
    wait "$pid" || rc=$?
    [ "$rc" -eq 1 ]
    awk -F, 'NR > 1 { print $14, $15 }' "$out" | grep -Eq '^0:0-1!;1:0-1! misplaced=2;steal_s='
    grep -q "warning: repetition 1: 2 threads ran outside their cpuset" "$err"
    grep -q "placement check failed" "$err"
}
