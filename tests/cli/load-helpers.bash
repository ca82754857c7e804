# A burst of load made by the test itself, and the small CPU sweep of issue 11 run under
# it. tests/cli/t507-suite-interference.bats uses them; a report test can too:
#   load load-helpers
#   loaded_cpu_sweep "$BATS_TEST_TMPDIR/results"    # a run in .../results/latest
#   teardown() { stop_burst; }
# shellcheck shell=bash
# shellcheck disable=SC2034 # sweep_status is read by the tests that load this file

# 1 and 2 threads over every backend (omp-libomp when built) and two pinnings; each
# repetition lasts 0.1 s or more, long enough for /proc/stat's ticks to see other work.
CPU_SWEEP='cpu work=3000000 tasks=64 threads=1,2 backends=seq,pthread,omp,omp-libomp bind=none,compact reps=3 warmup=1'

BURST_PIDS=()

# Two busy loops (one per core of a 2-core machine), each ended by timeout after $1 s.
start_burst() {
    local _
    for _ in 1 2; do
        timeout "${1:-4}" sh -c 'while :; do :; done' &
        BURST_PIDS+=("$!")
    done
}

# Ends the burst whatever happened: safe to call twice, and from teardown.
stop_burst() {
    local p
    for p in "${BURST_PIDS[@]}"; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    BURST_PIDS=()
}

# cpu_sweep DIR [runner options]: the sweep into DIR/latest; the runner's stderr in
# DIR.log; its exit status in $sweep_status.
cpu_sweep() {
    local dir=$1
    shift
    printf '%s\n' "$CPU_SWEEP" >"$dir.suite"
    sweep_status=0
    "$BATS_TEST_DIRNAME/../../scripts/bench" --no-build --results "$dir" "$@" "$dir.suite" \
        2>"$dir.log" || sweep_status=$?
}

# loaded_cpu_sweep DIR [runner options]: the sweep, with a burst of 4 s that starts when
# its first visit does.
loaded_cpu_sweep() {
    local dir=$1 _
    shift
    printf '%s\n' "$CPU_SWEEP" >"$dir.suite"
    "$BATS_TEST_DIRNAME/../../scripts/bench" --no-build --results "$dir" "$@" "$dir.suite" \
        2>"$dir.log" &
    local pid=$!
    for _ in $(seq 300); do
        [ -e "$dir/latest/.config.csv" ] || [ -s "$dir/latest/done.txt" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    start_burst 4
    sweep_status=0
    wait "$pid" || sweep_status=$?
    stop_burst
}
