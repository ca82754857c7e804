# Compares two summary.csv files configuration by configuration: the median of B over
# the median of A, and whether the two confidence intervals are apart. Prints a
# Markdown table, then the configurations only one run has, then the geometric mean.

BEGIN { FS = ","; OFS = " | " }
FNR == 1 { read_header(); file++; next }
{
    k = get("workload") SUBSEP series_name(get("backend"), get("runtime")) SUBSEP get("threads") SUBSEP \
        get("tasks") SUBSEP get("schedule") SUBSEP get("bind") SUBSEP get("params")
    if (!(k in seen)) { seen[k] = 1; order[++n] = k }
    ok = get("status") == "ok" && get("median_s") != "-"
    med[file, k] = ok ? get("median_s") : get("status")
    lo[file, k] = get("ci_lo_s"); hi[file, k] = get("ci_hi_s")
    has[file, k] = 1
}

END {
    print "| workload | backend | threads | tasks | schedule | bind | params | A median (s) | B median (s) | B / A | change |"
    print "| --- | --- | ---: | ---: | --- | --- | --- | ---: | ---: | ---: | --- |"
    m = 0; logsum = 0; only = 0
    for (i = 1; i <= n; i++) {
        k = order[i]
        if (!has[1, k] || !has[2, k]) { only++; continue }
        split(k, c, SUBSEP)
        p = c[7]; gsub(/;/, " ", p)
        a = med[1, k]; b = med[2, k]
        if (a !~ /^[0-9.eE+-]+$/ || b !~ /^[0-9.eE+-]+$/ || a + 0 <= 0) {
            print "| " c[1], c[2], c[3], c[4], c[5], c[6], p, a, b, "-", "not comparable |"
            continue
        }
        x = b / a
        m++; logsum += log(x)
        apart = lo[1, k] != "-" && lo[2, k] != "-" && \
                (lo[2, k] + 0 > hi[1, k] + 0 || lo[1, k] + 0 > hi[2, k] + 0)
        word = !apart ? "within the intervals" : (x > 1) ? "slower in B" : "faster in B"
        print "| " c[1], c[2], c[3], c[4], c[5], c[6], p, secs(a), secs(b), sprintf("%.3f", x), word " |"
    }
    if (only > 0) {
        print ""
        print "Configurations only one run has:"
        for (i = 1; i <= n; i++) {
            k = order[i]
            if (has[1, k] && has[2, k]) continue
            split(k, c, SUBSEP)
            printf "- only in %s: %s %s, %s threads, %s tasks, %s, bind=%s, %s\n", has[1, k] ? "A" : "B", \
                c[1], c[2], c[3], c[4], c[5], c[6], c[7]
        }
    }
    print ""
    if (m > 0) printf "B / A over %d configurations both ran: geometric mean %.3f\n", m, exp(logsum / m)
    else print "The two runs share no measured configuration."
}
