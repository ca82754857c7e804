# The statistics of a list of numbers for the scripts that need a median or an
# interval (scripts/bench-io, scripts/cost-table): always from bin/bench-summary, the
# one home of the suite's statistics, never computed here.
# shellcheck shell=bash

# Reads numbers, one per line, on stdin; prints `n,median,min,max,mean,stddev,ci_lo,
# ci_hi,ci_level` (no header; the order statistics interval summary.csv uses), or
# nothing for no numbers. $1 is the folder of the binaries.
bench_stats() {
    local summary=$1/bench-summary values
    values=$(grep -E '^-?[0-9.]+([eE][-+]?[0-9]+)?$' || true)
    [ -n "$values" ] || return 0
    "$summary" --stats <<<"$values" | tail -n +2
}

# The median alone, printed with FORMAT (default %.4g): `median_of bin FORMAT`.
median_of() {
    bench_stats "$1" | awk -F, -v f="${2:-%.4g}" '{ printf f "\n", $2 }'
}

# The statistics of the context switches and migrations of each configuration of
# RESULTS (a results.csv) whose workload the report compares counters for
# (counter_workload in summary.awk), over its clean repetitions: a CSV on stdout,
# `workload,backend,runtime,threads,tasks,schedule,bind,params,counter,n,median,min,max,
# mean,stddev,ci_lo,ci_hi,ci_level`. $1 is the folder of the binaries, $2 the folder of
# the awk libraries. Prints only the header when bench-summary is not there.
counter_stats() {
    local bin=$1 lib=$2 results=$3 key name values
    echo "workload,backend,runtime,threads,tasks,schedule,bind,params,counter,n,median,min,max,mean,stddev,ci_lo,ci_hi,ci_level"
    [ -x "$bin/bench-summary" ] || return 0
    awk -f "$lib/summary.awk" -f "$lib/counters.awk" "$results" |
        while IFS=$'\t' read -r key name values; do
            printf '%s,%s,%s\n' "$key" "$name" "$(tr ' ' '\n' <<<"$values" | bench_stats "$bin")"
        done
}
