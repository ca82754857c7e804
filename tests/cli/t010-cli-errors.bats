#!/usr/bin/env bats
# Bad input: exit status 2, one line on stderr naming the flag or variable, nothing on
# stdout, nothing left behind (no file, no process) — for every binary, bench-python's
# three names included (it parses with the C binaries' parser; t800 has its own cases).

load helpers

USAGE_BINS=("${BINS[@]}" "${PY_BINS[@]}")

@test "unknown workload" { ARGS=(nosuch); expect_usage_error "unknown workload 'nosuch'"; }
@test "no workload" { ARGS=(); expect_usage_error "no workload"; }
@test "unknown long option" { ARGS=(cpu --frobnicate); expect_usage_error "--frobnicate"; }
@test "unknown short option" { ARGS=(cpu -x); expect_usage_error "'-x'"; }
@test "missing option value" { ARGS=(cpu -t); expect_usage_error "-t/--threads needs a value"; }
@test "-t 0" { ARGS=(cpu -t 0); expect_usage_error "-t/--threads"; }
@test "-t -3" { ARGS=(cpu -t -3); expect_usage_error "-t/--threads"; }
@test "-t abc" { ARGS=(cpu -t abc); expect_usage_error "-t/--threads"; }
@test "-t 99999999999" { ARGS=(cpu -t 99999999999); expect_usage_error "-t/--threads"; }
@test "OMP_NUM_THREADS=abc" { ARGS=(cpu); expect_usage_error OMP_NUM_THREADS env OMP_NUM_THREADS=abc; }
@test "OMP_NUM_THREADS=0" { ARGS=(cpu); expect_usage_error OMP_NUM_THREADS env OMP_NUM_THREADS=0; }
@test "OMP_SCHEDULE=bogus" { ARGS=(cpu); expect_usage_error OMP_SCHEDULE env OMP_SCHEDULE=bogus; }
@test "-n negative" { ARGS=(cpu -n -4); expect_usage_error "-n/--tasks"; }
@test "-n non-numeric" { ARGS=(cpu -n many); expect_usage_error "-n/--tasks"; }
@test "-r 0" { ARGS=(cpu -r 0); expect_usage_error "-r/--reps"; }
@test "unknown -p name" { ARGS=(cpu -p colour=red); expect_usage_error "no parameter 'colour'"; }
@test "-p ms=-1" { ARGS=(sleep -p ms=-1); expect_usage_error "-p ms"; }
@test "-p work=x" { ARGS=(cpu -p work=x); expect_usage_error "-p work"; }
@test "unknown schedule" { ARGS=(cpu -s fastest); expect_usage_error "-s/--schedule"; }
@test "schedule chunk 0" { ARGS=(cpu -s dynamic,0); expect_usage_error "-s/--schedule"; }
@test "unknown --format" { ARGS=(cpu --format xml); expect_usage_error "--format"; }

@test "the message says what is accepted" {
    run_split "$ROOT/bin/bench-pthread" cpu -t abc
    grep -qF "expected an integer from 1 to 65536, got 'abc'" "$err"
    run_split "$ROOT/bin/bench-omp" cpu -s fastest
    grep -qF "static, dynamic or guided" "$err"
}

@test "a thread count the system cannot create: exit 1 with pthread_create's error" {
    # An address space too small for 2000 thread stacks makes pthread_create fail.
    run_split bash -c "ulimit -v 400000; exec '$ROOT/bin/bench-pthread' sleep -t 2000 -p ms=1 -r 1"
    [ "$status" -eq 1 ]
    grep -q "pthread_create failed for thread .* of 2000: Resource temporarily unavailable" "$err"
    [ "$left_behind" -eq 0 ]
    run_split bash -c "ulimit -v 400000; exec '$ROOT/bin/bench-omp' sleep -t 2000 -p ms=1 -r 1"
    [ "$status" -eq 1 ]
    grep -q "Thread creation failed" "$err"
}

@test "--help and --list succeed and describe the workloads" {
    for b in "${BINS[@]}"; do
        run_split "$ROOT/bin/bench-$b" --help
        [ "$status" -eq 0 ]
        grep -q -- "--threads" "$out"
        grep -q "OMP_SCHEDULE" "$out"
        run_split "$ROOT/bin/bench-$b" --list
        [ "$status" -eq 0 ]
        grep -q "^sleep " "$out"
        grep -q "^cpu " "$out"
        grep -q "skew=uniform" "$out"
    done
}

@test "OMP_NUM_THREADS=cores" { ARGS=(cpu); expect_usage_error OMP_NUM_THREADS env OMP_NUM_THREADS=cores; }
@test "OMP_SCHEDULE with a modifier is refused, not dropped" {
    ARGS=(cpu); expect_usage_error "no monotonic: or nonmonotonic: modifier" env OMP_SCHEDULE=monotonic:dynamic
}
@test "OMP_SCHEDULE chunk above INT_MAX" { ARGS=(cpu); expect_usage_error OMP_SCHEDULE env OMP_SCHEDULE=dynamic,2147483648; }
@test "OMP_PROC_BIND=bogus" { ARGS=(cpu); expect_usage_error OMP_PROC_BIND env OMP_PROC_BIND=bogus; }
@test "OMP_PLACES=bogus" { ARGS=(cpu); expect_usage_error OMP_PLACES env OMP_PLACES=bogus; }
@test "OMP_WAIT_POLICY=lazy" { ARGS=(cpu); expect_usage_error OMP_WAIT_POLICY env OMP_WAIT_POLICY=lazy; }
@test "BENCH_SPINCOUNT=300q" { ARGS=(cpu); expect_usage_error BENCH_SPINCOUNT env BENCH_SPINCOUNT=300q; }
@test "BENCH_BIND=compct" { ARGS=(cpu -b none); expect_usage_error "BENCH_BIND: unknown policy 'compct'" env BENCH_BIND=compct; }
@test "BENCH_FOREIGN_LIMIT=0" { ARGS=(cpu); expect_usage_error BENCH_FOREIGN_LIMIT env BENCH_FOREIGN_LIMIT=0; }
@test "--list with a run option" { ARGS=(--list -t 2); expect_usage_error "-t/--threads does not go with --list"; }
@test "--check-env with an option" { ARGS=(--check-env -s static); expect_usage_error "does not go with --check-env"; }

# Every binary the suite may run, the libomp one included when it was built.
all_bins() {
    local b
    for b in seq pthread omp omp-libomp; do
        [ -x "$ROOT/bin/bench-$b" ] && echo "$ROOT/bin/bench-$b"
    done
}

@test "an empty variable counts as unset in every binary, libomp's too" {
    for bin in $(all_bins); do
        run_split env OMP_NUM_THREADS= OMP_SCHEDULE= OMP_PLACES= OMP_PROC_BIND= BENCH_BIND= \
            "$bin" sleep -p ms=0 -n 2 -r 1
        [ "$status" -eq 0 ] || { echo "$bin: status $status"; cat "$err"; return 1; }
        [ "$err_lines" -eq 0 ] || { echo "$bin:"; cat "$err"; return 1; }
        awk -F, 'NR == 2 && $5 != "static" || NR == 2 && $6 != "none" { exit 1 }' "$out"
    done
}

@test "--check-env and --check: silence and 0, or the run's own line and 2" {
    for bin in $(all_bins); do
        run_split "$bin" --check-env
        [ "$status" -eq 0 ] && [ "$err_lines" -eq 0 ] && [ ! -s "$out" ]
        run_split env OMP_SCHEDULE=static,4 BENCH_BIND=spread OMP_NUM_THREADS=3 "$bin" --check-env
        [ "$status" -eq 0 ] && [ "$err_lines" -eq 0 ] && [ ! -s "$out" ]
        run_split "$bin" --check -t 8 -s guided,2 -b compact
        [ "$status" -eq 0 ] && [ "$err_lines" -eq 0 ] && [ ! -s "$out" ]
        run_split "$bin" --check cpu -p skew=linear -n 10
        [ "$status" -eq 0 ] && [ "$err_lines" -eq 0 ] && [ ! -s "$out" ]
        # The same line as a run, word for word.
        run_split env OMP_SCHEDULE=bogus "$bin" cpu
        local run_line
        run_line=$(cat "$err")
        run_split env OMP_SCHEDULE=bogus "$bin" --check-env
        [ "$status" -eq 2 ] && [ "$(cat "$err")" = "$run_line" ] && [ ! -s "$out" ]
        run_split "$bin" cpu -b compct
        run_line=$(cat "$err")
        run_split "$bin" --check -b compct
        [ "$status" -eq 2 ] && [ "$(cat "$err")" = "$run_line" ]
        run_split "$bin" --check sleep -p ms=-1
        [ "$status" -eq 2 ] && grep -qF -- "-p ms" "$err"
    done
}

@test "--list --format json: every workload, registry order, with what each parameter accepts" {
    command -v jq >/dev/null || skip "needs jq"
    for b in "${BINS[@]}"; do
        run_split "$ROOT/bin/bench-$b" --list --format json
        [ "$status" -eq 0 ] && [ "$err_lines" -eq 0 ]
        # The same workloads, in the same order, as the text listing.
        diff <(jq -r '.[].name' "$out") <("$ROOT/bin/bench-$b" --list | awk '/^[a-z]/ { print $1 }')
        jq -e 'all(.[]; (.name | type) == "string" and (.bound | type) == "string"
                 and (.waits | type) == "boolean" and (.summary | length) > 0
                 and (.default_tasks | type) == "number"
                 and all(.params[]; (.name | length) > 0 and (.default | type) == "string"
                         and (.accepts | length) > 0 and (.meaning | length) > 0))' "$out" >/dev/null
        [ "$(jq -r '.[] | select(.name == "sleep") | .params[0].accepts' "$out")" = "an integer from 0 to 600000" ]
        [ "$(jq -r '[.[] | select(.waits) | .name] | join(",")' "$out")" = "sleep,disk,net" ]
        [ "$(jq -r '.[] | select(.name == "cpu") | .params[] | select(.name == "skew") | .choices | join(",")' "$out")" = "uniform,linear,random" ]
    done
}
