#!/usr/bin/env bats
# Suite files: every line the runner cannot use is refused with file:line and exit 2,
# before anything is run or created; valid lines expand into the expected configurations.

setup() {
    cd "$BATS_TEST_DIRNAME/../.." || return 1
    res="$BATS_TEST_TMPDIR/results"
    cores=$(hwloc-calc --number-of core all)
    pus=$(hwloc-calc --number-of pu all)
}

suite() { printf '%s\n' "$@" >"$BATS_TEST_TMPDIR/t.suite"; }

refused() { # the message expected after "t.suite:LINE: "
    run scripts/bench --no-build --results "$res" "$BATS_TEST_TMPDIR/t.suite"
    [ "$status" -eq 2 ]
    [ "${#lines[@]}" -eq 1 ]
    [[ $output == "$BATS_TEST_TMPDIR/t.suite:$1: "* ]]
    [[ $output == *"$2"* ]]
    [ ! -e "$res" ]
}

@test "an unknown workload names file, line and the known workloads" {
    suite '# comment' '' 'sleep ms=1 threads=1' 'sleeep ms=1'
    refused 4 "unknown workload 'sleeep' (known:"
}

@test "an unknown key names the keys and the workload's parameters" {
    suite 'cpu wrok=5'
    refused 1 "unknown key 'wrok' (keys: threads tasks backends schedules bind reps min_reps max_reps ci warmup timeout; parameters of cpu: work skew)"
}

@test "bad thread counts, backends, schedules, counts and tokens are refused by line" {
    suite 'sleep threads=1,2*cpus'
    refused 1 "threads: '2*cpus' is not a count"
    suite 'sleep threads=0'
    refused 1 "threads: '0'"
    suite '' 'sleep backends=seq,openmp'
    refused 2 "backends: unknown backend 'openmp'"
    suite 'sleep schedules=static,auto'
    refused 1 "schedules: 'auto'"
    suite 'sleep reps=0'
    refused 1 "reps: '0' is not a count from 1"
    suite 'sleep tasks=many'
    refused 1 "tasks: 'many'"
    suite 'sleep timeout=0'
    refused 1 "timeout: '0'"
    suite 'sleep threads'
    refused 1 "expected KEY=VALUE, got 'threads'"
    suite 'sleep reps=2 reps=3'
    refused 1 "reps given twice"
    suite 'sleep ms='
    refused 1 "ms: empty value"
}

@test "a suite with no configurations and a missing file are usage errors" {
    suite '# nothing' ''
    run scripts/bench --no-build --results "$res" "$BATS_TEST_TMPDIR/t.suite"
    [ "$status" -eq 2 ]
    [[ $output == *"no configurations"* ]]
    run scripts/bench --no-build --results "$res" "$BATS_TEST_TMPDIR/none.suite"
    [ "$status" -eq 2 ]
    [[ $output == *"cannot read suite file"* ]]
    run scripts/bench --no-build --bogus
    [ "$status" -eq 2 ]
    [[ $output == *"unknown option '--bogus'"* ]]
    run scripts/bench --no-build --results "$res" --resume 20000101T000000-nowhere
    [ "$status" -eq 2 ]
    [[ $output == *"no run '20000101T000000-nowhere'"* ]]
}

@test "threads relative to the machine expand, seq runs once, lists cross" {
    suite 'sleep ms=1,2 tasks=8 threads=1,cores,2*cores,pus,cores/2,3 backends=seq,pthread schedules=static,dynamic:2 bind=none'
    run scripts/bench --no-build --list "$BATS_TEST_TMPDIR/t.suite"
    [ "$status" -eq 0 ]
    want=$(printf '%s\n' 1 "$cores" $((2 * cores)) "$pus" $((cores / 2 > 0 ? cores / 2 : 1)) 3 | awk '!seen[$0]++' | wc -l)
    # per ms value: one seq, then each distinct thread count x 2 schedules for pthread
    [ "${#lines[@]}" -eq $((1 + 2 * (1 + 2 * want))) ]
    [ "$(grep -c '^sleep|seq|1|8|static|none|ms=1|' <<<"$output")" -eq 1 ]
    grep -q "^sleep|pthread|$((2 * cores))|8|dynamic:2|none|ms=2|5|1|600|" <<<"$output"
}

@test "the environment fills the lists a suite line leaves open" {
    suite 'cpu tasks=4 work=10 backends=omp'
    OMP_NUM_THREADS=3 OMP_SCHEDULE='dynamic,4' BENCH_BIND=none run scripts/bench --no-build --list "$BATS_TEST_TMPDIR/t.suite"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 2 ]
    [ "${lines[1]%|*}" = "cpu|omp|3|4|dynamic:4|none|work=10;skew=uniform|5|1|600" ]
    run scripts/bench --no-build --list "$BATS_TEST_TMPDIR/t.suite"
    [ "${lines[1]%|*}" = "cpu|omp|$pus|4|static|none|work=10;skew=uniform|5|1|600" ]
}

@test "the shipped suites parse" {
    run scripts/bench --no-build --list quick
    [ "$status" -eq 0 ]
    run scripts/bench --no-build --list default
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -gt 50 ]
}

@test "a configuration named by two lines runs once" {
    suite 'sleep ms=1 tasks=4 threads=1,2 backends=seq,omp' 'sleep ms=1 tasks=4 threads=2,4 backends=seq,omp'
    run scripts/bench --no-build --list "$BATS_TEST_TMPDIR/t.suite"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 5 ] # header, seq, omp 1, 2 and 4
    [ "$(grep -c '|omp|2|' <<<"$output")" -eq 1 ]
    [[ ${lines[3]} == *"t.suite:1" ]]
}

@test "schedules and pinnings the binaries refuse stop the run before it starts, in their words" {
    suite 'cpu work=10 threads=1 bind=none,compct'
    refused 1 "bind: 'compct': -b/--bind: unknown policy 'compct'; expected none, core, pu, compact, spread"
    suite 'cpu work=10 threads=1' 'cpu work=10 threads=1 schedules=static,dynamic:0'
    refused 2 "schedules: 'dynamic:0': -s/--schedule: expected static, dynamic or guided"
}

@test "task counts, thread counts and parameter values a binary refuses stop the run, in its words" {
    suite 'sleep ms=1 threads=2' 'sleep ms=5,-3 threads=2 backends=seq,pthread'
    refused 2 "backend seq: -p ms: expected an integer from 0 to 600000, got '-3'"
    suite 'sleep ms=1 tasks=200000000 threads=2 backends=pthread'
    refused 1 "backend pthread: -n/--tasks: expected an integer from 0 to 100000000"
    suite 'sleep ms=1 threads=70000 backends=omp'
    refused 1 "backend omp: -t/--threads: expected an integer from 1 to 65536"
}

@test "an environment the binaries refuse is named by their rule, not blamed on the suite" {
    for kv in OMP_NUM_THREADS=cores OMP_SCHEDULE=bogus BENCH_BIND=compct; do
        env "$kv" scripts/bench --no-build --results "$res" quick >"$BATS_TEST_TMPDIR/out" 2>&1 && false
        [ "$(wc -l <"$BATS_TEST_TMPDIR/out")" -eq 1 ]
        grep -q "^scripts/bench: ${kv%%=*}: expected\|^scripts/bench: ${kv%%=*}: unknown" "$BATS_TEST_TMPDIR/out"
        env "$kv" scripts/bench --no-build --list quick >"$BATS_TEST_TMPDIR/out" 2>&1 && false
        [ "$(wc -l <"$BATS_TEST_TMPDIR/out")" -eq 1 ]
        [ "$(grep -c suite "$BATS_TEST_TMPDIR/out")" -eq 0 ]
    done
    [ ! -e "$res" ]
}

@test "a line that names no thread count runs at the count the binaries use by themselves" {
    suite 'cpu tasks=4 work=10 backends=omp'
    # OMP_NUM_THREADS=3,2 is 3 threads for the binaries (the first item), so for the suite
    OMP_NUM_THREADS=3,2 run scripts/bench --no-build --list "$BATS_TEST_TMPDIR/t.suite"
    [ "$status" -eq 0 ]
    [ "${#lines[@]}" -eq 2 ]
    [[ ${lines[1]} == "cpu|omp|3|4|"* ]]
}
