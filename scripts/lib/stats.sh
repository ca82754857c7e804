# The statistics of a list of numbers for the scripts that need a median or an
# interval (scripts/bench-io, scripts/cost-table, scripts/counter-cost): always from
# bin/bench-summary, the one home of the suite's statistics, never computed here; and
# how those scripts read the binaries' CSV rows and the machine's load.
# shellcheck shell=bash

# The columns or metrics named in $1 (comma-separated) of the CSV rows in the files
# that follow, or on stdin, read by name; tab-separated, a line per row.
csv_columns() {
    local cols=$1 lib
    shift
    lib=$(dirname "${BASH_SOURCE[0]}")
    awk -v cols="$cols" -f "$lib/summary.awk" -f "$lib/column.awk" "$@"
}

# The load average over 1, 5 and 15 minutes.
load_average() {
    cut -d' ' -f1-3 /proc/loadavg
}

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
