#!/usr/bin/env bats
# scripts/tune sweeps thread counts and recommends OMP_NUM_THREADS: about the core count
# for CPU-bound work, far more for waiting-bound work.

setup() {
    cd "$BATS_TEST_DIRNAME/../.."
    cores=$(hwloc-calc --number-of core all)
}

recommended() { sed -n 's/^export OMP_NUM_THREADS=\([0-9]*\)$/\1/p' <<<"$output"; }

@test "cpu: at most the core count, with the reason and the figures" {
    run scripts/tune cpu -p work=1000000 --reps 3
    [ "$status" -eq 0 ]
    [ "${lines[-1]}" = "export OMP_NUM_THREADS=$(recommended)" ]
    n=$(recommended)
    [ "$n" -ge 1 ] && [ "$n" -le "$cores" ]
    [[ $output == *"# why: $n threads is the smallest count within 5% of the best median"* ]]
    # every line but the last is a comment, so eval "$(scripts/tune ...)" works
    [ "$(grep -vc '^#' <<<"$output")" -eq 1 ]
}

@test "sleep: far more threads than cores" {
    run scripts/tune sleep -p ms=5 --backend pthread --reps 3
    [ "$status" -eq 0 ]
    [ "$(recommended)" -ge $((4 * cores)) ]
    [[ $output == *"on pthread (pool)"* ]]
}

@test "bad input is one line and exit 2" {
    run scripts/tune
    [ "$status" -eq 2 ]
    [[ $output == "scripts/tune: expected a WORKLOAD"* ]]
    run scripts/tune cpu --backend seq
    [ "$status" -eq 2 ]
    [ "$output" = "scripts/tune: --backend: expected omp or pthread, got 'seq'" ]
    run scripts/tune cpu -p wrok=3
    [ "$status" -eq 2 ]
    [[ $output == "scripts/tune: unknown key 'wrok'"* ]]
    run scripts/tune sleep -p ms=x --threads 1,2
    [ "$status" -eq 2 ]
    [ "$output" = "scripts/tune: bench-omp: -p ms: expected an integer from 0 to 600000; got 'x'" ]
}

@test "net: far more threads than cores" {
    run scripts/tune net -p latency_ms=5 -n 32 --reps 3
    [ "$status" -eq 0 ]
    [ "$(recommended)" -ge $((4 * cores)) ]
}
