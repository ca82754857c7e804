# Lists the kernel counters of results.csv's clean repetitions, per configuration of the
# sweeps whose counters the report plots and compares (counter_workload): one line per
# configuration and counter, `workload,backend,runtime,threads,tasks,schedule,bind,params
# TAB counter TAB value value ...`, for scripts/lib/stats.sh to take their statistics.
# Disturbed repetitions are left out, as summary.csv's medians leave them out.

BEGIN { FS = ","; OFS = "\t"; split("ctx_switches migrations", names, " ") }
FNR == 1 { read_header(); next }
get("disturbed") != 1 && counter_workload(get("workload")) {
    key = get("workload") "," get("backend") "," get("runtime") "," get("threads") "," get("tasks") "," \
          get("schedule") "," get("bind") "," get("params")
    for (i = 1; i in names; i++) {
        v = metric(get("metrics"), names[i])
        if (!is_num(v)) continue
        k = key SUBSEP names[i]
        if (!(k in vals)) order[++n] = k
        vals[k] = vals[k] (k in vals ? " " : "") v
    }
}
END {
    for (i = 1; i <= n; i++) {
        split(order[i], p, SUBSEP)
        print p[1], p[2], vals[order[i]]
    }
}
