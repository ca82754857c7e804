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
