# Turns summary.csv (first file), results.csv (second file) and the counters' statistics
# (third file, optional: stats.sh's counter_stats) into the data files of the plots, in
# the folder `out`, and prints one job line per plot for scripts/plot:
# kind TAB section TAB file-base TAB title TAB kind-specific fields.
# Needs -v out=DIR -v cores=N (physical cores, to mark on the plots).

BEGIN { FS = ","; OFS = "\t" }
FNR == 1 { read_header(); file++; next }
file == 1 { load_summary_row(); next }
# The interval of the median of each counter, per configuration.
file == 3 { load_counter_interval(); next }
# Placement of pinned runs only: unpinned threads report where they happened to run,
# which changes from repetition to repetition and maps nothing.
file == 2 && get("placement") != "-" && get("placement") != "" && get("bind") != "none" {
    k = get("bind") SUBSEP get("threads") SUBSEP get("placement")
    if (!(k in place_backends)) { place_key[++nplace] = k; place_backends[k] = get("backend") }
    else if (index(" " place_backends[k] " ", " " get("backend") " ") == 0)
        place_backends[k] = place_backends[k] " " get("backend")
}

END {
    classify()
    for (gi = 1; gi <= ngroups; gi++) scaling(glist[gi])
    overview()
    for (gi = 1; gi <= ngroups; gi++) schedules(glist[gi])
    for (gi = 1; gi <= ngroups; gi++) pinning(glist[gi])
    placement()
    contention()
    overhead_bars()
    for (gi = 1; gi <= ngroups; gi++) metric_plot(glist[gi], "overhead", "overhead")
    for (gi = 1; gi <= ngroups; gi++) metric_plot(glist[gi], "gb_s", "bandwidth")
    for (gi = 1; gi <= ngroups; gi++) counters(glist[gi])
    for (gi = 1; gi <= ngroups; gi++) metric_plot(glist[gi], "ipc", "ipc")
    python_plots()
}

# Finds the groups, the main schedule of each (static when it was measured), and the
# sequential median that speedups and flat references use.
function classify(   r) {
    find_groups()
    for (r = 1; r <= nrows; r++)
        if (seq_backend(S[r, "backend"]) && ok_row(r)) seqmed[group_of(r)] = S[r, "median_s"]
}

function gtitle(g,   p) {
    split(g, p, SUBSEP)
    gsub(/;/, " ", p[2])
    return p[1] ": " p[2] ", " p[3] (p[3] == 1 ? " task" : " tasks")
}

function gslug(g,   p) {
    split(g, p, SUBSEP)
    return slug(p[1] "_" p[2] "_n" p[3])
}

function joined(a,   i, s) {
    s = ""
    for (i = 1; i <= a[0]; i++) s = s (i > 1 ? " " : "") a[i]
    return s
}

# Drops from bar table f (a header, then a label and one value a series per line) the
# series with no value at all, and from ser, their names: gnuplot warns about a column
# with no valid point (a series whose every configuration was disturbed, say).
function prune_bars(f, ser,   n, i, k, line, cells, keep, rows, nr, out, kept) {
    nr = 0
    while ((getline line < f) > 0) rows[++nr] = line
    close(f)
    for (k = 2; k <= ser[0] + 1; k++) keep[k] = 0
    for (i = 2; i <= nr; i++) {
        n = split(rows[i], cells, "\t")
        for (k = 2; k <= n; k++) if (cells[k] != "-") keep[k] = 1
    }
    for (i = 1; i <= nr; i++) {
        n = split(rows[i], cells, "\t")
        out = cells[1]
        for (k = 2; k <= n; k++) if (keep[k]) out = out "\t" cells[k]
        print out > f
    }
    close(f)
    kept = 0
    for (k = 2; k <= ser[0] + 1; k++) if (keep[k]) ser[++kept] = ser[k - 1]
    ser[0] = kept
}

# Time, speedup and efficiency against threads share one data file: one block per
# series, then a block with the ideal model (the runner's ideal_speedup; efficiency is
# speedup / ideal_speedup, so its ideal is 1).
function scaling(g,   ser, rows, n, i, j, r, f, noisy, t, it, isp, seq, has_speedup) {
    # noop times count constructs, not work: its overhead plots say what it measured.
    if (gworkload(g) == "noop") return
    main_series(g, ser)
    if (ser[0] == 0) return
    # A sweep of one thread count has no curve to draw; its schedules or pinning plots
    # and its table show it.
    it[0] = 0
    for (r = 1; r <= nrows; r++)
        if (is_main(r, g) && S[r, "backend"] != "seq") add_unique(it, S[r, "threads"])
    if (it[0] < 2) return
    f = out "/" gslug(g) ".dat"
    noisy = 0
    it[0] = 0
    for (i = 1; i <= ser[0]; i++) {
        printf "# %s: threads median_s ci_lo_s ci_hi_s speedup efficiency noisy\n", ser[i] > f
        n = series_rows(g, ser[i], rows)
        for (j = 1; j <= n; j++) {
            r = rows[j]
            print S[r, "threads"], S[r, "median_s"], S[r, "ci_lo_s"], S[r, "ci_hi_s"], \
                  S[r, "speedup"], S[r, "efficiency"], S[r, "noisy"] > f
            if (S[r, "noisy"] == 1) noisy = 1
            if (is_num(S[r, "speedup"])) has_speedup = 1
            add_unique(it, S[r, "threads"])
            isp[S[r, "threads"]] = S[r, "ideal_speedup"]
        }
        printf "\n\n" > f
    }
    sort_num(it, it[0])
    seq = (g in seqmed) ? seqmed[g] : "-"
    printf "# ideal: threads time_s speedup efficiency\n" > f
    for (i = 1; i <= it[0]; i++) {
        t = it[i]
        print t, (seq != "-" && isp[t] + 0 > 0) ? seq / isp[t] : "-", isp[t], 1 > f
    }
    close(f)
    # Speedup and efficiency plots need a speedup (summary.csv has none for contention).
    print "scaling", gworkload(g), gslug(g), gtitle(g), seq, joined(ser), noisy, has_speedup
}

# A group named by its workload and only the parameters that tell it from the other
# groups of the same workload in list[1..ng] (glist, or pglist for Python's): the
# overview has no room for every parameter.
function short_label(g, list, ng,   p, q, gi, h, n, kv, i, keep, label, m, kv2, j, differs) {
    split(g, p, SUBSEP)
    label = p[1]
    n = split(p[2], kv, ";")
    for (i = 1; i <= n; i++) {
        differs = 0
        for (gi = 1; gi <= ng; gi++) {
            h = list[gi]
            split(h, q, SUBSEP)
            if (q[1] != p[1] || h == g) continue
            m = split(q[2], kv2, ";")
            keep = 0
            for (j = 1; j <= m; j++) if (kv2[j] == kv[i]) keep = 1
            if (!keep) differs = 1
        }
        # A parameter is kept when some other group of the workload lacks its value.
        if (differs && index(label, kv[i]) == 0) label = label " " kv[i]
    }
    return label
}

# The best speedup of each group and series, side by side: at the lowest median the
# thread rule finds (thread_rule's best) among the rows that may make a finding, with
# the thread count it was reached at beside it for the bar's label.
function overview(   f, gi, g, ser, allser, i, n, rows, r, label, any, hdr, line, val, has) {
    # Only the series that have a bar: a series with no value at all would leave gnuplot
    # a column with no valid point.
    allser[0] = 0
    for (gi = 1; gi <= ngroups; gi++) {
        g = glist[gi]
        # noop measures overhead, not work: its speedup says nothing about scaling.
        if (!(g in seqmed) || gworkload(g) == "noop") continue
        main_series(g, ser)
        for (i = 1; i <= ser[0]; i++) {
            n = finding_rows(g, ser[i], rows)
            r = (n > 0 && thread_rule(rows, n)) ? rows[rule_best] : 0
            if (r && is_num(S[r, "speedup"]) && S[r, "speedup"] + 0 > 0) {
                val[g, ser[i]] = S[r, "speedup"] "\t" S[r, "threads"]
                has[g] = 1
                add_unique(allser, ser[i])
            }
        }
    }
    sort_str(allser, allser[0])
    if (allser[0] == 0) return
    f = out "/overview.dat"
    hdr = "group"
    for (i = 1; i <= allser[0]; i++) hdr = hdr "\t" allser[i] "\tthreads"
    print hdr > f
    any = 0
    for (gi = 1; gi <= ngroups; gi++) {
        g = glist[gi]
        if (!(g in has)) continue
        line = short_label(g, glist, ngroups)
        for (i = 1; i <= allser[0]; i++)
            line = line "\t" (((g, allser[i]) in val) ? val[g, allser[i]] : "-\t-")
        print line > f
        any++
    }
    close(f)
    print "overview", "overview", "overview", "Best speedup", joined(allser), any
}

# A series of a schedules or pinning plot: a backend with one schedule (kind "schedule",
# unpinned) or one pinning policy (kind "bind", at the group's main schedule).
function series_label(r, kind) {
    return series_name(S[r, "backend"], S[r, "runtime"]) \
        (kind == "bind" ? "|bind=" S[r, "bind"] : "|" S[r, "schedule"])
}

# The rows of group g in series label, in thread order, into rows[1..n]; returns n.
function labelled_rows(g, kind, label, rows,   r, n) {
    n = 0
    for (r = 1; r <= nrows; r++)
        if (group_of(r) == g && ok_row(r) && series_label(r, kind) == label && \
            (kind == "bind" ? S[r, "schedule"] == mainsched[g] : S[r, "bind"] == "none"))
            rows[++n] = r
    sort_by_threads(rows, n)
    return n
}

# Schedules compared where a group was swept with more than one (no pinning).
function schedules(g,   sch, r, f, lab, i, j, n, rows, noisy, ts) {
    sch[0] = 0
    for (r = 1; r <= nrows; r++)
        if (group_of(r) == g && S[r, "bind"] == "none" && ok_row(r) && S[r, "backend"] != "seq")
            add_unique(sch, S[r, "schedule"])
    if (sch[0] < 2) return
    ts[0] = 0
    for (r = 1; r <= nrows; r++)
        if (group_of(r) == g && S[r, "bind"] == "none" && ok_row(r) && S[r, "backend"] != "seq")
            add_unique(ts, S[r, "threads"])
    if (ts[0] == 1) { schedule_bars(g, sch, ts[1]); return }
    f = out "/" gslug(g) "_schedules.dat"
    lab[0] = 0
    noisy = 0
    for (r = 1; r <= nrows; r++)
        if (group_of(r) == g && S[r, "bind"] == "none" && ok_row(r) && S[r, "backend"] != "seq")
            add_unique(lab, series_label(r, "schedule"))
    sort_str(lab, lab[0])
    for (i = 1; i <= lab[0]; i++) {
        n = labelled_rows(g, "schedule", lab[i], rows)
        printf "# %s: threads median_s ci_lo_s ci_hi_s noisy\n", lab[i] > f
        for (j = 1; j <= n; j++) {
            r = rows[j]
            print S[r, "threads"], S[r, "median_s"], S[r, "ci_lo_s"], S[r, "ci_hi_s"], S[r, "noisy"] > f
            if (S[r, "noisy"] == 1) noisy = 1
        }
        printf "\n\n" > f
    }
    close(f)
    print "schedules", gworkload(g), gslug(g) "_schedules", "Schedules: " gtitle(g), \
          (g in seqmed) ? seqmed[g] : "-", joined(lab), noisy
}

# A schedules sweep at one thread count: bars per schedule, one per backend.
function schedule_bars(g, sch, t,   ser, r, f, i, j, line, val) {
    ser[0] = 0
    for (r = 1; r <= nrows; r++)
        if (group_of(r) == g && S[r, "bind"] == "none" && ok_row(r) && S[r, "backend"] != "seq")
            add_unique(ser, series_name(S[r, "backend"], S[r, "runtime"]))
    sort_str(ser, ser[0])
    f = out "/" gslug(g) "_schedules.dat"
    printf "# schedule, then median_s ci_lo_s ci_hi_s for %s\n", joined(ser) > f
    for (i = 1; i <= sch[0]; i++) {
        line = sch[i]
        for (j = 1; j <= ser[0]; j++) {
            val = "-\t-\t-"
            for (r = 1; r <= nrows; r++)
                if (group_of(r) == g && S[r, "bind"] == "none" && ok_row(r) && S[r, "schedule"] == sch[i] && \
                    series_name(S[r, "backend"], S[r, "runtime"]) == ser[j])
                    val = S[r, "median_s"] "\t" S[r, "ci_lo_s"] "\t" S[r, "ci_hi_s"]
            line = line "\t" val
        }
        print line > f
    }
    close(f)
    print "schedule_bars", gworkload(g), gslug(g) "_schedules", "Schedules at " t " threads: " gtitle(g), joined(ser)
}

# What each pinning policy did to the median time, relative to no pinning, against
# threads: one block per backend and policy (ratio, interval bounds over the unpinned
# median, noisy).
function pinning(g,   binds, r, q, i, j, n, f, lab, rows, base, noisy) {
    binds[0] = 0
    for (r = 1; r <= nrows; r++)
        if (group_of(r) == g && S[r, "schedule"] == mainsched[g] && ok_row(r) && S[r, "bind"] != "none" && \
            S[r, "backend"] != "seq")
            add_unique(binds, S[r, "bind"])
    if (binds[0] == 0) return
    sort_str(binds, binds[0])
    lab[0] = 0
    for (r = 1; r <= nrows; r++)
        if (group_of(r) == g && S[r, "schedule"] == mainsched[g] && ok_row(r) && S[r, "bind"] != "none" && \
            S[r, "backend"] != "seq")
            add_unique(lab, series_label(r, "bind"))
    sort_str(lab, lab[0])
    f = out "/" gslug(g) "_pinning.dat"
    for (i = 1; i <= lab[0]; i++) {
        n = labelled_rows(g, "bind", lab[i], rows)
        printf "# %s: threads median/unpinned ci_lo/unpinned ci_hi/unpinned noisy\n", lab[i] > f
        for (j = 1; j <= n; j++) {
            r = rows[j]
            base = 0
            for (q = 1; q <= nrows; q++)
                if (group_of(q) == g && S[q, "schedule"] == mainsched[g] && ok_row(q) && S[q, "bind"] == "none" && \
                    S[q, "backend"] == S[r, "backend"] && S[q, "runtime"] == S[r, "runtime"] && \
                    S[q, "threads"] == S[r, "threads"]) base = S[q, "median_s"]
            if (base + 0 <= 0) continue
            print S[r, "threads"], S[r, "median_s"] / base, \
                  (S[r, "ci_lo_s"] == "-") ? "-" : S[r, "ci_lo_s"] / base, \
                  (S[r, "ci_hi_s"] == "-") ? "-" : S[r, "ci_hi_s"] / base, S[r, "noisy"] > f
            if (S[r, "noisy"] == 1) noisy = 1
        }
        printf "\n\n" > f
    }
    close(f)
    print "pinning", gworkload(g), gslug(g) "_pinning", "Pinning, relative to no pinning: " gtitle(g), \
          joined(lab), joined(binds), noisy + 0
}

# Expands a PU set "0-1+4" into list[1..n].
function expand_pus(s, list,   n, parts, i, lo, hi, ab, p) {
    n = 0
    split(s, parts, "+")
    for (i in parts) {
        if (split(parts[i], ab, "-") == 2) { lo = ab[1] + 0; hi = ab[2] + 0 }
        else { lo = parts[i] + 0; hi = lo }
        for (p = lo; p <= hi; p++) list[++n] = p
    }
    return n
}

# Which PUs each thread was bound to, one row per pinning policy and thread count.
function placement(   f, i, k, pairs, np, j, tp, pl, npl, m, cell, key, y, maxpu, cells, c, label) {
    if (nplace == 0) return
    # Rows by policy, then thread count.
    for (i = 2; i <= nplace; i++) {
        k = place_key[i]
        split(k, key, SUBSEP)
        for (j = i - 1; j >= 1; j--) {
            split(place_key[j], tp, SUBSEP)
            if (tp[1] < key[1] || (tp[1] == key[1] && tp[2] + 0 <= key[2] + 0)) break
            place_key[j + 1] = place_key[j]
        }
        place_key[j + 1] = k
    }
    f = out "/placement.dat"
    print "# pu row threads-on-pu row-label" > f
    maxpu = 0
    for (i = 1; i <= nplace; i++) {
        k = place_key[i]
        split(k, key, SUBSEP)
        y = i - 1
        label = "bind=" key[1] ", " key[2] (key[2] == 1 ? " thread" : " threads") " (" place_backends[k] ")"
        np = split(key[3], pairs, ";")
        cells[0] = 0
        for (j = 1; j <= np; j++) {
            split(pairs[j], tp, ":")
            if (tp[2] !~ /^[0-9]/) continue
            npl = expand_pus(tp[2], pl)
            for (m = 1; m <= npl; m++) {
                c = pl[m]
                if (!((y, c) in cell)) { cell[y, c] = tp[1]; cells[++cells[0]] = c }
                else cell[y, c] = cell[y, c] "," tp[1]
                if (c > maxpu) maxpu = c
            }
        }
        # Past a handful of threads a cell says how many, not which.
        for (j = 1; j <= cells[0]; j++) {
            m = split(cell[y, cells[j]], tp, ",")
            print cells[j], y, (m > 6) ? m " threads" : cell[y, cells[j]], label > f
        }
    }
    close(f)
    print "placement", "pinning", "placement", "Threads placed on processing units", maxpu + 1, nplace
}

function mode_rank(m) {
    return (m == "racy") ? 1 : (m == "mutex") ? 2 : (m == "atomic") ? 3 : (m == "reduction") ? 4 : \
           (m == "omplock") ? 5 : 6
}

# Sorts modes[1..modes[0]] by mode_rank (insertion: a handful of modes).
function sort_modes(modes,   i, j, x) {
    for (i = 2; i <= modes[0]; i++) {
        x = modes[i]
        for (j = i - 1; j >= 1 && mode_rank(modes[j]) > mode_rank(x); j--) modes[j + 1] = modes[j]
        modes[j + 1] = x
    }
}

# Cost of one update per synchronisation mode at the largest thread count, and the
# updates the racy mode lost.
function contention(   r, modes, ser, cser, maxt, f, i, j, line, m, val, n, rows, lost, e, x, k, logy) {
    modes[0] = 0; ser[0] = 0; maxt = 0
    for (r = 1; r <= nrows; r++) {
        if (!contention_row(r)) continue
        add_unique(modes, metric(S[r, "params"], "mode"))
        if (S[r, "backend"] != "seq") {
            add_unique(ser, series_name(S[r, "backend"], S[r, "runtime"]))
            if (S[r, "threads"] + 0 > maxt) maxt = S[r, "threads"] + 0
        }
    }
    if (modes[0] == 0) return
    sort_modes(modes)
    sort_str(ser, ser[0])
    ser[++ser[0]] = "seq"
    f = out "/contention_cost.dat"
    line = "mode"
    for (j = 1; j <= ser[0]; j++) line = line "\t" ser[j] (ser[j] == "seq" ? "" : " @" maxt)
    print line > f
    logy = 1
    for (i = 1; i <= modes[0]; i++) {
        line = modes[i]
        for (j = 1; j <= ser[0]; j++) {
            val = "-"
            for (r = 1; r <= nrows; r++)
                if (contention_row(r) && \
                    metric(S[r, "params"], "mode") == modes[i] && \
                    series_name(S[r, "backend"], S[r, "runtime"]) == ser[j] && \
                    (ser[j] == "seq" || S[r, "threads"] + 0 == maxt) && expected_updates(r) > 0) {
                    val = per_update_ns(r, S[r, "median_s"])
                    if (val <= 0) logy = 0
                    break
                }
            line = line "\t" val
        }
        print line > f
    }
    close(f)
    for (j = 0; j <= ser[0]; j++) cser[j] = ser[j]
    prune_bars(f, cser)
    print "contention_cost", "contention", "contention_cost", \
          "Cost per update of a shared counter at " plural(maxt, "thread"), joined(cser), logy
    # The racy mode's lost updates against threads, one block per series.
    f = out "/contention_lost.dat"
    n = 0
    for (j = 1; j <= ser[0]; j++) {
        if (ser[j] == "seq") continue
        printf "# %s: threads lost_percent lost expected\n", ser[j] > f
        k = 0
        for (r = 1; r <= nrows; r++)
            if (contention_row(r) && \
                metric(S[r, "params"], "mode") == "racy" && \
                series_name(S[r, "backend"], S[r, "runtime"]) == ser[j] && \
                metric(S[r, "metrics"], "lost") != "" && expected_updates(r) > 0)
                rows[++k] = r
        sort_by_threads(rows, k)
        for (i = 1; i <= k; i++) {
            r = rows[i]
            lost = metric(S[r, "metrics"], "lost")
            e = expected_updates(r)
            print S[r, "threads"], 100 * lost / e, lost, e > f
            n++
        }
        printf "\n\n" > f
    }
    close(f)
    line = ""
    for (j = 1; j < ser[0]; j++) line = line (j > 1 ? " " : "") ser[j]
    if (n > 0) print "contention_lost", "contention", "contention_lost", \
                     "Updates lost by the racy mode", line
}

# noop's overhead of every parameter set, each backend and OpenMP runtime side by side,
# at the largest thread count measured; a logarithmic axis only when every value is
# above zero (an overhead can measure at or below zero).
function overhead_bars(   gi, g, allser, i, r, maxt, f, line, val, rows0, any, logy, unit, units) {
    allser[0] = 0; maxt = 0
    for (r = 1; r <= nrows; r++)
        if (S[r, "workload"] == "noop" && ok_row(r) && S[r, "bind"] == "none" && S[r, "backend"] != "seq" && !python_row(r) && \
            overhead_metric(r) != "") {
            add_unique(allser, series_name(S[r, "backend"], S[r, "runtime"]))
            if (S[r, "threads"] + 0 > maxt) maxt = S[r, "threads"] + 0
        }
    if (allser[0] == 0) return
    sort_str(allser, allser[0])
    f = out "/overhead_bars.dat"
    line = "construct"
    for (i = 1; i <= allser[0]; i++) line = line "\t" allser[i] " @" maxt
    print line > f
    any = 0; logy = 1; units[0] = 0
    for (gi = 1; gi <= ngroups; gi++) {
        g = glist[gi]
        if (gworkload(g) != "noop") continue
        line = short_label(g, glist, ngroups)
        sub(/^noop /, "", line)
        # One parameter tells the sets apart (construct=region): its value is enough.
        if (line ~ /^[A-Za-z_]+=[^ ]*$/) sub(/^[^=]*=/, "", line)
        rows0 = 0; unit = ""
        for (i = 1; i <= allser[0]; i++) {
            val = "-"
            for (r = 1; r <= nrows; r++)
                if (is_main(r, g) && S[r, "threads"] + 0 == maxt && \
                    series_name(S[r, "backend"], S[r, "runtime"]) == allser[i] && overhead_metric(r) != "") {
                    val = ov_value(r); rows0++
                    unit = overhead_unit(overhead_metric(r))
                    if (val <= 0) logy = 0
                    break
                }
            line = line "\t" val
        }
        if (rows0 == 0) continue
        add_unique(units, unit)
        labels[++any] = line
        lunit[any] = unit
    }
    # Each cluster names its unit when the parameter sets measure different units.
    for (i = 1; i <= any; i++) {
        line = labels[i]
        if (units[0] > 1) sub(/\t/, " (" lunit[i] ")\t", line)
        print line > f
    }
    close(f)
    if (any > 0) prune_bars(f, allser)
    if (any > 0) print "overhead_bars", "noop", "overhead_bars", \
        "Overhead " (units[0] == 1 ? units[1] : "per unit") " at " plural(maxt, "thread"), joined(allser), logy
}

# A row's figure for metric_plot: the metric name, or noop's own figure for "overhead";
# "" when the row has none, or has "-" (a counter that was not counted).
function figure_of(r, name,   m, v) {
    m = (name == "overhead") ? overhead_metric(r) : name
    v = (m == "") ? "" : metric(S[r, "metrics"], m)
    return is_num(v) ? v : ""
}

# A per-configuration figure against threads, one block per series: "gb_s", or
# "overhead" for noop's own figure (overhead_metric). The value axis starts at 0, or
# lower when a value is below zero (an overhead can measure below zero).
function metric_plot(g, name, kind,   ser, i, j, n, rows, r, f, any, seqv, noisy, it, ymin, v, unit, title) {
    main_series(g, ser)
    any = 0
    for (r = 1; r <= nrows; r++)
        if (group_of(r) == g && ok_row(r) && figure_of(r, name) != "") any = 1
    if (!any || ser[0] == 0) return
    # One thread count makes no curve; the overhead bars show it.
    it[0] = 0
    for (r = 1; r <= nrows; r++)
        if (group_of(r) == g && ok_row(r) && S[r, "backend"] != "seq" && figure_of(r, name) != "")
            add_unique(it, S[r, "threads"])
    if (it[0] < 2) return
    f = out "/" gslug(g) "_" kind ".dat"
    noisy = 0; ymin = 0; unit = ""
    for (i = 1; i <= ser[0]; i++) {
        printf "# %s: threads %s noisy\n", ser[i], name > f
        n = series_rows(g, ser[i], rows)
        for (j = 1; j <= n; j++) {
            r = rows[j]
            v = figure_of(r, name)
            if (v == "") continue
            print S[r, "threads"], v, S[r, "noisy"] > f
            if (S[r, "noisy"] == 1) noisy = 1
            if (v + 0 < 0) ymin = "*"
            if (name == "overhead") unit = overhead_unit(overhead_metric(r))
        }
        printf "\n\n" > f
    }
    close(f)
    seqv = "-"
    for (r = 1; r <= nrows; r++)
        if (group_of(r) == g && ok_row(r) && S[r, "backend"] == "seq" && figure_of(r, name) != "") {
            seqv = figure_of(r, name)
            if (seqv + 0 < 0) ymin = "*"
        }
    title = (kind == "overhead") ? "Overhead " unit ": " : (kind == "ipc") ? "Instructions per cycle: " : "Memory bandwidth: "
    print kind, gworkload(g), gslug(g) "_" kind, title gtitle(g), seqv, joined(ser), noisy, \
          (kind == "overhead") ? "overhead " unit " (us)" : (kind == "ipc") ? "instructions per cycle (median of the repetitions)" : \
          "triad bandwidth (GB/s)", ymin
}

# A counter's median in row r and the ends of its interval (from the third file), "-"
# for each that is not there.
function counter_cells(r, name,   v, lo, hi) {
    v = metric(S[r, "metrics"], name)
    if (!is_num(v)) return "-\t-\t-"
    lo = counter_lo(r, name); hi = counter_hi(r, name)
    return v "\t" (lo == "" ? "-" : lo) "\t" (hi == "" ? "-" : hi)
}

# Context switches and migrations per repetition against threads, one block per series
# (threads, then median, interval low and high of each), for the workloads whose
# oversubscription they show (counter_workload). A panel's axis is logarithmic (1) when
# every value it shows is above zero, else linear from zero (0), or 0 to 1 when every
# value is zero (2: gnuplot cannot scale an empty range).
function counters(g,   ser, it, r, i, j, n, rows, f, c, m, cells, p, seqc, seqm, logc, logm, anyc, anym) {
    if (!counter_workload(gworkload(g))) return
    main_series(g, ser)
    it[0] = 0
    for (r = 1; r <= nrows; r++)
        if (is_main(r, g) && S[r, "backend"] != "seq" && \
            (is_num(metric(S[r, "metrics"], "ctx_switches")) || is_num(metric(S[r, "metrics"], "migrations"))))
            add_unique(it, S[r, "threads"])
    if (it[0] < 2) return
    f = out "/" gslug(g) "_counters.dat"
    logc = 1; logm = 1
    for (i = 1; i <= ser[0]; i++) {
        printf "# %s: threads ctx_switches ci_lo ci_hi migrations ci_lo ci_hi\n", ser[i] > f
        n = series_rows(g, ser[i], rows)
        for (j = 1; j <= n; j++) {
            r = rows[j]
            c = counter_cells(r, "ctx_switches"); m = counter_cells(r, "migrations")
            print S[r, "threads"], c, m > f
            split(c "\t" m, cells, "\t")
            for (p = 1; p <= 6; p++) {
                if (is_num(cells[p]) && cells[p] + 0 <= 0) { if (p <= 3) logc = 0; else logm = 0 }
                if (is_num(cells[p]) && cells[p] + 0 != 0) { if (p <= 3) anyc = 1; else anym = 1 }
            }
        }
        printf "\n\n" > f
    }
    close(f)
    seqc = "-"; seqm = "-"
    for (r = 1; r <= nrows; r++)
        if (is_main(r, g) && S[r, "backend"] == "seq") {
            if (is_num(metric(S[r, "metrics"], "ctx_switches"))) seqc = metric(S[r, "metrics"], "ctx_switches")
            if (is_num(metric(S[r, "metrics"], "migrations"))) seqm = metric(S[r, "metrics"], "migrations")
        }
    if (is_num(seqc) && seqc + 0 <= 0) logc = 0
    if (is_num(seqm) && seqm + 0 <= 0) logm = 0
    if (is_num(seqc) && seqc + 0 != 0) anyc = 1
    if (is_num(seqm) && seqm + 0 != 0) anym = 1
    if (!anyc) logc = 2
    if (!anym) logm = 2
    print "counters", gworkload(g), gslug(g) "_counters", "Context switches and migrations: " gtitle(g), \
          joined(ser), seqc, seqm, logc, logm
}

# ---- The Python section: bench-python's backends beside the C builds ----

function python_plots(   u, w) {
    python_units()
    for (u = 1; u <= nunits; u++) {
        w = gworkload(ulist[u])
        # contention and noop have plots of their own below; their times count updates
        # and constructs.
        if (w == "contention" || w == "noop") continue
        python_view(u, "time")
        python_view(u, "speedup")
        python_view(u, "bandwidth")
    }
    python_lost()
    python_overhead()
}

# A row's value in a view of the Python plots: time (median_s and its interval),
# speedup, or bandwidth (gb_s); "" when it has none.
function view_cells(r, view,   v) {
    if (view == "time") return S[r, "median_s"] "\t" S[r, "ci_lo_s"] "\t" S[r, "ci_hi_s"]
    v = (view == "speedup") ? S[r, "speedup"] : metric(S[r, "metrics"], "gb_s")
    return is_num(v) ? v "\t-\t-" : ""
}

# One view of unit u against threads: a block per series with a value (threads value
# lo hi noisy), then a block per sequential reference drawn flat over the threads shown
# (time and bandwidth), then the ideal speedup (speedup). One file per view, so that
# every block has a point to draw.
function python_view(u, view,   n, sg, ss, sl, i, j, m, rows, r, c, f, lab, refs, rr, rl, nr, it, xmin, xmax, isp, noisy, t, body, cells) {
    n = unit_series(u, sg, ss, sl)
    lab[0] = 0; it[0] = 0; noisy = 0; body = ""
    for (i = 1; i <= n; i++) {
        m = series_rows(sg[i], ss[i], rows)
        c = ""
        for (j = 1; j <= m; j++) {
            r = rows[j]
            if (view_cells(r, view) == "") continue
            c = c S[r, "threads"] "\t" view_cells(r, view) "\t" S[r, "noisy"] "\n"
            add_unique(it, S[r, "threads"])
            isp[S[r, "threads"]] = S[r, "ideal_speedup"]
            if (S[r, "noisy"] == 1) noisy = 1
        }
        if (c == "") continue
        add_unique(lab, sl[i])
        body = body "# " sl[i] ": threads " view " lo hi noisy\n" c "\n\n"
    }
    if (lab[0] == 0) return
    sort_num(it, it[0])
    xmin = it[1]; xmax = it[it[0]]
    # A single thread count: the flat lines reach past it, over the range marks.gp shows.
    if (xmin == xmax) { xmin = xmin / 1.5; xmax = xmax * 1.5 }
    refs[0] = 0
    if (view != "speedup") {
        nr = unit_refs(u, rr, rl)
        for (i = 1; i <= nr; i++) {
            c = view_cells(rr[i], view)
            if (c == "") continue
            split(c, cells, "\t")
            add_unique(refs, rl[i])
            body = body sprintf("# %s (1 thread), flat\n%s\t%s\t-\t-\t0\n%s\t%s\t-\t-\t0\n\n\n", rl[i], xmin, cells[1], xmax, cells[1])
        }
    } else {
        body = body "# ideal: threads speedup\n"
        for (i = 1; i <= it[0]; i++) { t = it[i]; body = body t "\t" isp[t] "\n" }
    }
    f = out "/python_" gslug(ulist[u]) "_" view ".dat"
    printf "%s", body > f
    close(f)
    print "python_" view, "python", "python_" gslug(ulist[u]) "_" view, gtitle(ulist[u]), joined(lab), \
          refs[0] ? joined(refs) : "-", noisy
}

# The sets of Python groups that differ only in parameter name (contention's mode,
# noop's construct), in first-seen order: pset[1..npset], pset_key[pg] = its set.
function python_sets(w, name, pset,   i, pg, k, seen, n) {
    n = 0
    for (i = 1; i <= npgroups; i++) {
        pg = pglist[i]
        if (gworkload(pg) != w) continue
        k = w SUBSEP without_param(gparams(pg), name) SUBSEP gtasks(pg)
        pset_key[pg] = k
        if (!(k in seen)) { seen[k] = 1; pset[++n] = k }
    }
    return n
}

# The racy mode's lost updates beside the lock's, per contention parameter set of
# bench-python: bars of the updates observed as a share of those expected, per mode,
# for every Python series and every series of the C groups matched to it, each at its
# largest thread count ("python-threads @2").
function python_lost(   pset, ns, si, i, pg, modes, cols, r, g, k, m, f, line, val, lbl, x, j) {
    ns = python_sets("contention", "mode", pset)
    for (si = 1; si <= ns; si++) {
        modes[0] = 0; cols[0] = 0
        for (k in val) delete val[k]
        for (i = 1; i <= npgroups; i++) {
            pg = pglist[i]
            if (pset_key[pg] != pset[si]) continue
            add_unique(modes, metric(gparams(pg), "mode"))
            python_lost_cols(pg, cols, val)
            if (py_match[pg] != "") python_lost_cols(py_match[pg], cols, val)
        }
        if (cols[0] == 0) continue
        sort_modes(modes)
        f = out "/python_" slug("lost_" pset_label(pset[si])) ".dat"
        line = "mode"
        for (j = 1; j <= cols[0]; j++) { lbl = cols[j]; sub(/\|/, " @", lbl); line = line "\t" lbl }
        print line > f
        for (i = 1; i <= modes[0]; i++) {
            line = modes[i]
            for (j = 1; j <= cols[0]; j++) line = line "\t" (((modes[i], cols[j]) in val) ? val[modes[i], cols[j]] : "-")
            print line > f
        }
        close(f)
        print "python_lost", "python", "python_" slug("lost_" pset_label(pset[si])), \
              "Updates observed, % of expected: contention " pset_label(pset[si]), joined(cols)
    }
}

# Adds the columns of group g's unpinned rows (at each series' largest thread count) to
# python_lost's table: cols[] as "series|threads", val[mode, col] the observed share.
function python_lost_cols(g, cols, val,   r, maxt, s, c, e, o) {
    for (r = 1; r <= nrows; r++)
        if (group_of(r) == g && ok_row(r) && S[r, "bind"] == "none") {
            s = series_of(r)
            if (S[r, "threads"] + 0 > maxt[s]) maxt[s] = S[r, "threads"] + 0
        }
    for (r = 1; r <= nrows; r++)
        if (group_of(r) == g && ok_row(r) && S[r, "bind"] == "none") {
            s = series_of(r)
            if (S[r, "threads"] + 0 != maxt[s]) continue
            e = expected_updates(r); o = metric(S[r, "metrics"], "observed")
            if (e <= 0 || !is_num(o)) continue
            c = s "|" S[r, "threads"]
            add_unique(cols, c)
            val[metric(S[r, "params"], "mode"), c] = 100 * o / e
        }
}

# How row r is named in the Python section's bar plots, whose title or clusters give the
# parameters: a C series by series_name, a Python one by its backend.
function series_of(r) {
    return python_row(r) ? S[r, "backend"] : series_name(S[r, "backend"], S[r, "runtime"])
}

# A parameter set's key as a title: "incs=1 window_ms=100, 2 tasks".
function pset_label(k,   p) {
    split(k, p, SUBSEP)
    gsub(/;/, " ", p[2])
    return (p[2] != "" ? p[2] ", " : "") plural(p[3], "task")
}

# What an executor charges per task beside the C runtimes: noop's overhead (overhead_us)
# of every Python noop parameter set (construct), each Python series and each series of
# the C group matched to it, at the largest thread count the Python series ran; log
# scale unless a value is at or below zero.
function python_overhead(   i, pg, maxt, r, cols, rowsl, nl, k, c, val, f, line, j, logy, g) {
    maxt = 0
    for (r = 1; r <= nrows; r++)
        if (python_row(r) && S[r, "workload"] == "noop" && ok_row(r) && S[r, "bind"] == "none" && \
            !seq_backend(S[r, "backend"]) && overhead_metric(r) != "" && S[r, "threads"] + 0 > maxt)
            maxt = S[r, "threads"] + 0
    if (maxt == 0) return
    cols[0] = 0; nl = 0; logy = 1
    for (i = 1; i <= npgroups; i++) {
        pg = pglist[i]
        if (gworkload(pg) != "noop") continue
        k = 0
        for (j = 1; j <= 2; j++) {
            g = (j == 1) ? pg : py_match[pg]
            if (g == "") continue
            for (r = 1; r <= nrows; r++)
                if (is_main(r, g) && !seq_backend(S[r, "backend"]) && S[r, "threads"] + 0 == maxt && overhead_metric(r) != "") {
                    c = series_of(r)
                    add_unique(cols, c)
                    val[pg, c] = ov_value(r)
                    if (ov_value(r) <= 0) logy = 0
                    k++
                }
        }
        if (k) { rowsl[++nl] = pg }
    }
    if (nl == 0) return
    f = out "/python_overhead.dat"
    line = "construct"
    for (j = 1; j <= cols[0]; j++) line = line "\t" cols[j]
    print line > f
    for (i = 1; i <= nl; i++) {
        pg = rowsl[i]
        line = short_label(pg, pglist, npgroups)
        sub(/^noop ?/, "", line)
        # One parameter tells the sets apart (construct=task): its value is enough.
        if (line ~ /^[A-Za-z_]+=[^ ]*$/) sub(/^[^=]*=/, "", line)
        # A single set: its parameters.
        if (line == "") { line = gparams(pg); gsub(/;/, " ", line) }
        for (j = 1; j <= cols[0]; j++) line = line "\t" (((pg, cols[j]) in val) ? val[pg, cols[j]] : "-")
        print line > f
    }
    close(f)
    print "python_overhead", "python", "python_overhead", \
          "Overhead per task or fork-join: the executors against the C runtimes at " plural(maxt, "thread"), joined(cols), logy
}
