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
    if "$summary" --help 2>/dev/null | grep -q -- '--stats'; then
        "$summary" --stats <<<"$values" | tail -n +2
        return
    fi
    # Until bench-summary has --stats (CONTRACT.md): the same C statistics through its
    # results.csv reader, one configuration whose wall_s are the numbers, shifted above
    # zero (it refuses negative times) and back. Remove with the --stats release.
    local file offset
    file=$(mktemp)
    offset=$(awk 'NR == 1 || $1 < m { m = $1 } END { print (m <= 0) ? 1 - m : 0 }' <<<"$values")
    awk -v off="$offset" 'BEGIN { print "workload,backend,threads,tasks,schedule,bind,params,rep,wall_s,cpu_s,checksum,verified" }
        { printf "stats,seq,1,1,static,none,-,%d,%.17g,0,0,1\n", NR, $1 + off }' <<<"$values" >"$file"
    "$summary" --cores 1 "$file" |
        awk -F, -v off="$offset" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
            { printf "%s,%.10g,%.10g,%.10g,%.10g,%s,%.10g,%.10g,%s\n", $c["reps"], $c["median_s"] - off, $c["min_s"] - off,
                  $c["max_s"] - off, $c["mean_s"] - off, $c["stddev_s"], $c["ci_lo_s"] - off, $c["ci_hi_s"] - off, $c["ci_level"] }'
    rm -f "$file"
}

# The median alone, printed with FORMAT (default %.4g): `median_of bin FORMAT`.
median_of() {
    bench_stats "$1" | awk -F, -v f="${2:-%.4g}" '{ printf f "\n", $2 }'
}
