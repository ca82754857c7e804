# Shared awk functions of the plot, table, compare and findings programs: they read
# summary.csv (and results.csv) by column name, so a column added by the runner never
# shifts them.
# POSIX awk only (Debian's default is mawk): no asort, no gensub, no length(array).

# Reads the header of the current file into col[name] = field number.
function read_header(   i, k) {
    for (k in col) delete col[k]
    for (i = 1; i <= NF; i++) col[$i] = i
}

# The field named name on the current line, or "-" when the file has no such column.
function get(name) {
    return (name in col) ? $(col[name]) : "-"
}

# Loads the current summary line as row number nrows into the S[nrows, column] table.
function load_summary_row(   name) {
    nrows++
    for (name in col) S[nrows, name] = $(col[name])
}

# The value of name in a metrics field "a=1;b=2", or "" when it is absent.
function metric(m, name,   n, i, kv, parts) {
    n = split(m, parts, ";")
    for (i = 1; i <= n; i++) {
        split(parts[i], kv, "=")
        if (kv[1] == name) return kv[2]
    }
    return ""
}

# The configuration the current line of a results.csv, failed.csv or counters CSV
# belongs to, as row_key names summary row r: the same string for the same configuration.
function config_key() {
    return get("workload") SUBSEP get("backend") SUBSEP get("runtime") SUBSEP get("threads") SUBSEP \
           get("tasks") SUBSEP get("schedule") SUBSEP get("bind") SUBSEP get("params")
}
function row_key(r) {
    return S[r, "workload"] SUBSEP S[r, "backend"] SUBSEP S[r, "runtime"] SUBSEP S[r, "threads"] SUBSEP \
           S[r, "tasks"] SUBSEP S[r, "schedule"] SUBSEP S[r, "bind"] SUBSEP S[r, "params"]
}

# How a backend is named on plots and in tables: seq, or backend/runtime.
function series_name(backend, runtime) {
    return (backend == "seq") ? "seq" : backend "/" runtime
}

# A file-name-safe form of a configuration group.
function slug(s) {
    gsub(/[^A-Za-z0-9.]+/, "-", s)
    gsub(/^-+|-+$/, "", s)
    return s
}

# Sorts a[1..n] ascending as numbers (insertion sort: the lists are thread counts).
function sort_num(a, n,   i, j, x) {
    for (i = 2; i <= n; i++) {
        x = a[i]
        for (j = i - 1; j >= 1 && a[j] + 0 > x + 0; j--) a[j + 1] = a[j]
        a[j + 1] = x
    }
}

# Sorts a[1..n] ascending as strings.
function sort_str(a, n,   i, j, x) {
    for (i = 2; i <= n; i++) {
        x = a[i]
        for (j = i - 1; j >= 1 && a[j] "" > x ""; j--) a[j + 1] = a[j]
        a[j + 1] = x
    }
}

# Seconds with four significant digits, as tables and findings print them.
function secs(x) {
    return sprintf("%.4g", x)
}

# Adds x to the list (array a, count in a[0]) unless it is there already.
function add_unique(a, x,   i) {
    for (i = 1; i <= a[0]; i++) if (a[i] == x) return
    a[++a[0]] = x
}

# True when a summary row measured something (failed rows carry "-" for numbers).
function ok_row(r) {
    return S[r, "status"] == "ok" && S[r, "median_s"] != "-"
}

# What makes a median short (summary.csv's short flag), in words; the floors themselves
# are SHORT_S and SHORT_WAITING_S in src/summary/summary.c.
function short_rule() {
    return "a median below 0.05 s, or 5 ms for work that waits"
}

# True when a row may make a finding: measured (status ok: not failed, disturbed or
# missing), verified, and not short (short_rule(): too short for the timer and the
# scheduler to resolve; summary.csv says so, and "-" means the flag does not apply).
function finding_row(r) {
    return ok_row(r) && S[r, "verified"] == 1 && S[r, "short"] != 1
}

# "1 thread", "4 threads": a count with its noun, singular for one.
function plural(n, noun) {
    return (n + 0 == 1) ? "1 " noun : (n + 0) " " noun "s"
}

# The confidence interval of a row's median (ci_lo_s .. ci_hi_s), or the median itself
# when summary.csv has no interval for it.
function lo_of(r) {
    return is_num(S[r, "ci_lo_s"]) ? S[r, "ci_lo_s"] + 0 : S[r, "median_s"] + 0
}
function hi_of(r) {
    return is_num(S[r, "ci_hi_s"]) ? S[r, "ci_hi_s"] + 0 : S[r, "median_s"] + 0
}

# True when the intervals of the two rows' medians do not overlap: the only case in
# which the report calls them different. Rows without an interval are never apart.
function apart(r, q) {
    if (!is_num(S[r, "ci_lo_s"]) || !is_num(S[q, "ci_lo_s"])) return 0
    return hi_of(r) < lo_of(q) || hi_of(q) < lo_of(r)
}

# THE rule for "how many threads", the one place it is written (scripts/tune, the
# findings, the overview plot and the answers table all call it). Over the rows
# rows[1..n] of one series, sorted by thread count: the best is the row with the lowest
# median; the pick is the smallest thread count whose interval of the median reaches
# within 5% of the best's interval (its low end at most 1.05 x the best's high end),
# that is, the smallest count not slower than the best by more than 5% beyond the noise.
# Without intervals this is "the smallest count whose median is within 5% of the best".
# Sets rule_best and rule_pick (indexes into rows; 0 when n is 0) and returns rule_pick.
function thread_rule(rows, n,   j) {
    rule_best = 0; rule_pick = 0
    for (j = 1; j <= n; j++)
        if (!rule_best || S[rows[j], "median_s"] + 0 < S[rows[rule_best], "median_s"] + 0) rule_best = j
    for (j = 1; j <= n && !rule_pick; j++)
        if (lo_of(rows[j]) <= RULE_MARGIN * hi_of(rows[rule_best])) rule_pick = j
    return rule_pick
}
BEGIN { RULE_MARGIN = 1.05 }

# The workloads whose kernel counters the report plots and compares: context switches
# and migrations against threads show oversubscription where it happens (issue 16).
# Waiting work switches once per task whatever the thread count; CPU-bound work starts
# switching, involuntarily, once its threads outnumber the cores.
function counter_workload(w) {
    return w == "sleep" || w == "net" || w == "cpu"
}

# Keeps the interval of a counter's median from the current line of stats.sh's
# counter_stats CSV, for counter_lo / counter_hi.
function load_counter_interval(   k) {
    k = config_key() SUBSEP get("counter")
    cnt_lo[k] = get("ci_lo"); cnt_hi[k] = get("ci_hi")
}
# The ends of the interval of the median of counter name in summary row r, or "" when
# it is not known (no counter_stats line, or bench-summary was missing).
function counter_lo(r, name,   k) { k = row_key(r) SUBSEP name; return (k in cnt_lo && is_num(cnt_lo[k])) ? cnt_lo[k] : "" }
function counter_hi(r, name,   k) { k = row_key(r) SUBSEP name; return (k in cnt_hi && is_num(cnt_hi[k])) ? cnt_hi[k] : "" }

# True for a row of bench-python (python-seq, python-threads, python-processes). The
# report's Python section holds these; every other section is the C builds'.
function python_row(r) {
    return S[r, "backend"] ~ /^python-/
}

# True for a sequential reference: seq for the C builds, python-seq for Python (each
# language's speedups divide its own loop).
function seq_backend(b) {
    return b == "seq" || b == "python-seq"
}

# The configuration group a row belongs to: one workload with one parameter set, in one
# language: Python rows never share a group with C rows, even with the same parameters
# (noop's), since their speedups divide python-seq.
function group_of(r) {
    return S[r, "workload"] SUBSEP S[r, "params"] SUBSEP S[r, "tasks"] (python_row(r) ? SUBSEP "python" : "")
}

# The parameters and the task count of a configuration group (see group_of).
function gparams(g,   p) {
    split(g, p, SUBSEP)
    return p[2]
}
function gtasks(g,   p) {
    split(g, p, SUBSEP)
    return p[3]
}

# Parameters "a=1;b=2" without the one named name.
function without_param(params, name,   n, i, kv, s) {
    n = split(params, kv, ";")
    s = ""
    for (i = 1; i <= n; i++) if (kv[i] !~ ("^" name "=")) s = s (s == "" ? "" : ";") kv[i]
    return s
}

# The workload of a configuration group (see group_of).
function gworkload(g,   p) {
    split(g, p, SUBSEP)
    return p[1]
}

# Lists the groups in row order, the C builds' in glist[1..ngroups] and bench-python's
# in pglist[1..npgroups] (gseen[g] for both), and picks the main schedule of each,
# mainsched[g]: static when it was measured without pinning, else the first schedule
# measured without pinning.
function find_groups(   r, g) {
    for (r = 1; r <= nrows; r++) {
        g = group_of(r)
        if (!(g in gseen)) {
            gseen[g] = 1
            if (python_row(r)) pglist[++npgroups] = g
            else glist[++ngroups] = g
        }
        if (S[r, "bind"] == "none") {
            if (S[r, "schedule"] == "static") gstatic[g] = 1
            if (!(g in gfirst)) gfirst[g] = S[r, "schedule"]
        }
    }
    for (g in gseen) mainsched[g] = (g in gstatic) ? "static" : gfirst[g]
}

# True when row r belongs to the main sweep of group g: measured, no pinning, and the
# group's main schedule (find_groups). Schedules and pinning have plots of their own.
function is_main(r, g) {
    return group_of(r) == g && S[r, "bind"] == "none" && S[r, "schedule"] == mainsched[g] && ok_row(r)
}

# Rows of one series (seq, or backend/runtime) in the main sweep of group g, sorted by
# thread count, into rows[1..n]; returns n.
function series_rows(g, s, rows,   r, n) {
    n = 0
    for (r = 1; r <= nrows; r++)
        if (is_main(r, g) && series_name(S[r, "backend"], S[r, "runtime"]) == s) rows[++n] = r
    sort_by_threads(rows, n)
    return n
}

# The parallel series (not seq, nor python-seq) of the main sweep of group g, sorted,
# into ser[1..ser[0]].
function main_series(g, ser,   r) {
    ser[0] = 0
    for (r = 1; r <= nrows; r++)
        if (is_main(r, g) && !seq_backend(S[r, "backend"]))
            add_unique(ser, series_name(S[r, "backend"], S[r, "runtime"]))
    sort_str(ser, ser[0])
}

# Rows of one series in the main sweep of g, sorted by threads, into rows[1..n], when
# every one of them may make a finding (finding_row); returns n, or 0 when one may not:
# a curve with a hole (a short median, which is always faster than any that is not; a
# disturbed, failed, missing or unverified point) cannot say where it is best. Then
# finding_gap says why, as "short at 2 threads".
function finding_rows(g, s, rows,   r, n, why, t) {
    n = 0; finding_gap = ""
    for (r = 1; r <= nrows; r++) {
        if (group_of(r) != g || S[r, "bind"] != "none" || S[r, "schedule"] != mainsched[g] || \
            series_name(S[r, "backend"], S[r, "runtime"]) != s) continue
        if (finding_row(r)) { rows[++n] = r; continue }
        why = !ok_row(r) ? S[r, "status"] : (S[r, "verified"] != 1) ? "not verified" : "short"
        if (finding_gap == "" || S[r, "threads"] + 0 < t) { finding_gap = why " at " plural(S[r, "threads"], "thread"); t = S[r, "threads"] + 0 }
    }
    if (finding_gap != "") return 0
    sort_by_threads(rows, n)
    return n
}

# A contention row of the C builds that the cost and lost-update figures use: measured,
# unpinned (the Python section shows bench-python's).
function contention_row(r) {
    return S[r, "workload"] == "contention" && ok_row(r) && S[r, "bind"] == "none" && !python_row(r)
}

# Sorts the row numbers rows[1..n] by thread count, rows of equal counts kept in order.
function sort_by_threads(rows, n,   i, j, x) {
    for (i = 2; i <= n; i++) {
        x = rows[i]
        for (j = i - 1; j >= 1 && S[rows[j], "threads"] + 0 > S[x, "threads"] + 0; j--) rows[j + 1] = rows[j]
        rows[j + 1] = x
    }
}

# The updates a contention row should have made: its "expected" metric, else incs per
# task times the tasks.
function expected_updates(r,   e) {
    e = metric(S[r, "metrics"], "expected")
    if (e == "") e = metric(S[r, "params"], "incs") * S[r, "tasks"]
    return e + 0
}

# noop's own figure: the name of the row's overhead metric (overhead_us; failing that,
# the first metric whose name starts with "overhead"), or "" when it has none.
function overhead_metric(r,   n, i, kv, parts) {
    if (metric(S[r, "metrics"], "overhead_us") != "") return "overhead_us"
    n = split(S[r, "metrics"], parts, ";")
    for (i = 1; i <= n; i++) {
        split(parts[i], kv, "=")
        if (kv[1] ~ /^overhead/ && kv[2] ~ /^-?[0-9.]/) return kv[1]
    }
    return ""
}

# What one unit of an overhead metric is: "per X" from a name that says it
# (overhead_us_per_iteration, overhead_per_task_us), else "per construct".
function overhead_unit(name) {
    if (match(name, /per_[a-z]+/)) return "per " substr(name, RSTART + 4, RLENGTH - 4)
    return "per construct"
}

# noop's figure of row r in microseconds, and its interval (ci_lo_us..ci_hi_us in the
# metrics, else the figure itself).
function ov_value(r) { return metric(S[r, "metrics"], overhead_metric(r)) + 0 }
function ov_lo(r,   x) { x = metric(S[r, "metrics"], "ci_lo_us"); return (x ~ /^-?[0-9.]/) ? x + 0 : ov_value(r) }
function ov_hi(r,   x) { x = metric(S[r, "metrics"], "ci_hi_us"); return (x ~ /^-?[0-9.]/) ? x + 0 : ov_value(r) }
# True when the intervals of two noop figures do not overlap (never without intervals).
function ov_apart(r, q) {
    if (metric(S[r, "metrics"], "ci_lo_us") == "" || metric(S[q, "metrics"], "ci_lo_us") == "") return 0
    return ov_hi(r) < ov_lo(q) || ov_hi(q) < ov_lo(r)
}

# Nanoseconds per update of a contention row for a time x in seconds (its median or an
# end of its interval): the workload's own figure, since wall_s counts every update.
function per_update_ns(r, x) {
    return x * 1e9 / expected_updates(r)
}

# True when x is a number as summary.csv writes them ("-" and "" are not).
function is_num(x) {
    return x ~ /^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$/
}

# ---- bench-python's groups beside the C builds' (the report's Python section) ----

# How Python group pg's parameters meet C group g's: 2 when they are the same work (the
# same workload and tasks, and every parameter C has with pg's value; the Python-only
# ones, kernel and window_ms, are those C's group lacks), 1 when only numbers differ (a
# Python loop usually runs less work than C; speedups, each over its own language's
# loop, still compare), 0 otherwise.
function params_match(pg, g,   p, q, n, i, kv, nv, v, how) {
    split(pg, p, SUBSEP); split(g, q, SUBSEP)
    if (p[1] != q[1] || p[3] != q[3]) return 0
    n = split(q[2], kv, ";")
    how = 2
    for (i = 1; i <= n; i++) {
        split(kv[i], nv, "=")
        v = metric(p[2], nv[1])
        if (v == nv[2]) continue
        if (v == "" || !is_num(v) || !is_num(nv[2])) return 0
        how = 1
    }
    return how
}

# Sets py_match[pg], the C group each Python group is shown with (the same work when
# there is one, py_exact[pg] = 1; else the first, in suite order, whose parameters differ
# only in numbers; "" when none), and the units of the Python section: ulist[1..nunits],
# each a C group with the Python groups matched to it, or a Python group alone (so
# ulist[u] names the unit either way); unit_c[u] is its C group ("" when none), unit_py[u, 1..unit_npy[u]] its Python groups.
# Call after find_groups.
function python_units(   i, pg, gi, g, how, u, key, uof) {
    nunits = 0
    for (i = 1; i <= npgroups; i++) {
        pg = pglist[i]; py_match[pg] = ""; py_exact[pg] = 0
        for (gi = 1; gi <= ngroups; gi++) {
            g = glist[gi]
            how = params_match(pg, g)
            if (how == 2) { py_match[pg] = g; py_exact[pg] = 1; break }
            if (how == 1 && py_match[pg] == "") py_match[pg] = g
        }
        key = (py_match[pg] != "") ? py_match[pg] : pg
        if (!(key in uof)) { uof[key] = ++nunits; ulist[nunits] = key; unit_c[nunits] = py_match[pg]; unit_npy[nunits] = 0 }
        u = uof[key]
        unit_py[u, ++unit_npy[u]] = pg
    }
}

# How a Python group's series are named beside C group g's: the backend, then each
# parameter that C's group lacks (kernel=c), then each it has with another value
# (work=200000), joined by "|" (plots take a series name as one word; py_words shows it with commas).
function py_series_label(backend, pg, g,   n, i, kv, nv, s, other) {
    s = backend; other = ""
    n = split(gparams(pg), kv, ";")
    for (i = 1; i <= n; i++) {
        split(kv[i], nv, "=")
        if (g == "" || metric(gparams(g), nv[1]) == "") s = s "|" kv[i]
        else if (metric(gparams(g), nv[1]) != nv[2]) other = other "|" kv[i]
    }
    return s other
}
function py_words(label) {
    gsub(/\|/, ", ", label)
    return label
}

# The series of unit u, C's parallel ones first, then each Python group's: their group
# (sg), name as series_name gives it (ss) and label (sl), [1..n]; returns n.
function unit_series(u, sg, ss, sl,   n, g, ser, i, k, pg) {
    n = 0
    g = unit_c[u]
    if (g != "") {
        main_series(g, ser)
        for (i = 1; i <= ser[0]; i++) { n++; sg[n] = g; ss[n] = ser[i]; sl[n] = ser[i] }
    }
    for (k = 1; k <= unit_npy[u]; k++) {
        pg = unit_py[u, k]
        python_series(pg, ser)
        for (i = 1; i <= ser[0]; i++) {
            n++; sg[n] = pg; ss[n] = ser[i]
            sub(/\/.*/, "", ser[i])
            sl[n] = py_series_label(ser[i], pg, g)
        }
    }
    return n
}

# The parallel series of Python group pg's main sweep, as main_series gives them but in
# the tutorials' order (py_order): threads, then processes.
function py_order(s) {
    return (s ~ /^python-threads/) ? 1 : (s ~ /^python-processes/) ? 2 : 3
}
function python_series(pg, ser,   all, i, j, n) {
    main_series(pg, all)
    n = 0
    for (j = 1; j <= 3; j++)
        for (i = 1; i <= all[0]; i++) if (py_order(all[i]) == j) ser[++n] = all[i]
    ser[0] = n
}

# The sequential rows of a group's main sweep (seq, or python-seq): the first measured
# one, or 0.
function seq_row(g,   r) {
    for (r = 1; r <= nrows; r++)
        if (is_main(r, g) && seq_backend(S[r, "backend"])) return r
    return 0
}

# The sequential references of unit u, C's then each Python group's: their rows
# (rr[1..n]) and labels (rl); returns n.
function unit_refs(u, rr, rl,   n, r, k, pg) {
    n = 0
    if (unit_c[u] != "" && (r = seq_row(unit_c[u]))) { rr[++n] = r; rl[n] = "seq" }
    for (k = 1; k <= unit_npy[u]; k++) {
        pg = unit_py[u, k]
        if ((r = seq_row(pg))) { rr[++n] = r; rl[n] = py_series_label("python-seq", pg, unit_c[u]) }
    }
    return n
}
