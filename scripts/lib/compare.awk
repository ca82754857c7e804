# Compares two summary.csv files configuration by configuration: each configuration's
# own figure in B over A (the median time; time per update for contention; noop's
# overhead), and a change only where the two confidence intervals are apart by more
# than the thread rule's 5% (RULE_MARGIN): one interval entirely above 1.05 times the
# other. Short
# configurations (short_rule()) and those not measured in both runs are not called. Prints the coverage of the intervals used, a Markdown table, the
# configurations only one run has, and a tally.

BEGIN { FS = ","; OFS = " | " }
FNR == 1 { read_header(); file++; next }
{
    load_summary_row()
    k = S[nrows, "workload"] SUBSEP series_name(S[nrows, "backend"], S[nrows, "runtime"]) SUBSEP S[nrows, "threads"] SUBSEP \
        S[nrows, "tasks"] SUBSEP S[nrows, "schedule"] SUBSEP S[nrows, "bind"] SUBSEP S[nrows, "params"]
    if (!(k in seen)) { seen[k] = 1; order[++n] = k }
    row[file, k] = nrows
}

# The figure a row is compared by: "time (s)", "time per update (ns)" or noop's
# "overhead (us)"; fig_v, fig_lo and fig_hi receive it and its interval.
function figure(r) {
    if (S[r, "workload"] == "noop" && overhead_metric(r) != "") {
        fig_v = ov_value(r); fig_lo = ov_lo(r); fig_hi = ov_hi(r); fig_has_ci = metric(S[r, "metrics"], "ci_lo_us") != ""
        return "overhead " overhead_unit(overhead_metric(r)) " (us)"
    }
    fig_has_ci = is_num(S[r, "ci_lo_s"])
    if (S[r, "workload"] == "contention" && expected_updates(r) > 0) {
        fig_v = per_update_ns(r, S[r, "median_s"]); fig_lo = per_update_ns(r, lo_of(r)); fig_hi = per_update_ns(r, hi_of(r))
        return "time per update (ns)"
    }
    fig_v = S[r, "median_s"]; fig_lo = lo_of(r); fig_hi = hi_of(r)
    return "time (s)"
}

function state(r) {
    if (!ok_row(r)) return S[r, "status"]
    if (S[r, "short"] == 1) return "short"
    return "ok"
}

END {
    margin_pct = sprintf("%d%%", 100 * (RULE_MARGIN - 1) + 0.5)
    margin_word = "apart, within " margin_pct
    # The coverage the intervals really have (summary.csv's ci_level), over the rows compared.
    lvmin = ""; lvmax = ""
    for (i = 1; i <= n; i++) {
        k = order[i]
        if (!((1, k) in row) || !((2, k) in row)) continue
        for (f = 1; f <= 2; f++) {
            r = row[f, k]
            if (!ok_row(r) || !is_num(S[r, "ci_level"])) continue
            if (lvmin == "" || S[r, "ci_level"] + 0 < lvmin) lvmin = S[r, "ci_level"] + 0
            if (lvmax == "" || S[r, "ci_level"] + 0 > lvmax) lvmax = S[r, "ci_level"] + 0
        }
    }
    if (lvmin != "") {
        printf "A change is called only when the confidence intervals of the two medians are apart by more than %s (one above %.2f times the other); their coverage here is %s", \
            margin_pct, RULE_MARGIN, \
            (lvmin == lvmax) ? sprintf("%.4g%%", 100 * lvmin) : sprintf("%.4g%% to %.4g%%", 100 * lvmin, 100 * lvmax)
        if (lvmin < 0.95)
            printf " (below 95%%: with 3 repetitions the interval is min..max, which covers the median only 75%% of the time, and two runs of an unchanged machine show apart intervals in about 1 configuration of 10; run more repetitions before trusting a single change)"
        print "."
    }
    print "Short configurations (" short_rule() ") are not called; noop is compared by its overhead, contention by its time per update."
    print ""
    print "| workload | backend | threads | tasks | schedule | bind | params | figure | A | B | B / A | change |"
    print "| --- | --- | ---: | ---: | --- | --- | --- | --- | ---: | ---: | ---: | --- |"
    m = 0; logsum = 0; only = 0
    for (i = 1; i <= n; i++) {
        k = order[i]
        if (!((1, k) in row) || !((2, k) in row)) { only++; continue }
        split(k, c, SUBSEP)
        p = c[7]; gsub(/;/, " ", p)
        ra = row[1, k]; rb = row[2, k]
        sa = state(ra); sb = state(rb)
        if (sa != "ok" && sa != "short" || sb != "ok" && sb != "short") {
            word = "not comparable (" (sa != "ok" && sa != "short" ? sa " in A" : "") \
                   (sa != "ok" && sa != "short" && sb != "ok" && sb != "short" ? ", " : "") \
                   (sb != "ok" && sb != "short" ? sb " in B" : "") ")"
            print "| " c[1], c[2], c[3], c[4], c[5], c[6], p, "-", \
                (sa == "ok" || sa == "short") ? secs(S[ra, "median_s"]) : sa, \
                (sb == "ok" || sb == "short") ? secs(S[rb, "median_s"]) : sb, "-", word " |"
            tally["not comparable"]++
            continue
        }
        name = figure(ra); a = fig_v; alo = fig_lo; ahi = fig_hi; aci = fig_has_ci
        figure(rb); b = fig_v; blo = fig_lo; bhi = fig_hi; bci = fig_has_ci
        x = (a + 0 > 0 && b + 0 > 0) ? b / a : ""
        if (x != "") { m++; logsum += log(x) }
        sep = aci && bci && (bhi < alo || ahi < blo)
        if (sa == "short" || sb == "short") word = "short, not called"
        else if (!sep) word = "within the intervals"
        else if (blo > RULE_MARGIN * ahi) word = "slower in B"
        else if (alo > RULE_MARGIN * bhi) word = "faster in B"
        else word = margin_word
        tally[word]++
        print "| " c[1], c[2], c[3], c[4], c[5], c[6], p, name, secs(a), secs(b), (x == "") ? "-" : sprintf("%.3f", x), word " |"
    }
    if (only > 0) {
        print ""
        print "Configurations only one run has:"
        for (i = 1; i <= n; i++) {
            k = order[i]
            if (((1, k) in row) && ((2, k) in row)) continue
            split(k, c, SUBSEP)
            printf "- only in %s: %s %s, %s, %s, %s, bind=%s, %s\n", ((1, k) in row) ? "A" : "B", \
                c[1], c[2], plural(c[3], "thread"), plural(c[4], "task"), c[5], c[6], c[7]
        }
    }
    print ""
    t = ""
    split("slower in B|faster in B|" margin_word "|within the intervals|short, not called|not comparable", words, "|")
    for (i = 1; i <= 6; i++) if (words[i] in tally) t = t (t == "" ? "" : "; ") words[i] ": " tally[words[i]]
    if (t != "") print "Changes: " t "."
    if (m > 0) printf "B / A over %s both ran: geometric mean %.3f\n", plural(m, "configuration"), exp(logsum / m)
    else print "The two runs share no measured configuration."
}
