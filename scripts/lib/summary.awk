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

# The configuration group a row belongs to: one workload with one parameter set.
function group_of(r) {
    return S[r, "workload"] SUBSEP S[r, "params"] SUBSEP S[r, "tasks"]
}

# The workload of a configuration group (see group_of).
function gworkload(g,   p) {
    split(g, p, SUBSEP)
    return p[1]
}

# Lists the groups in row order (glist[1..ngroups], gseen[g]) and picks the main
# schedule of each, mainsched[g]: static when it was measured without pinning, else the
# first schedule measured without pinning.
function find_groups(   r, g) {
    for (r = 1; r <= nrows; r++) {
        g = group_of(r)
        if (!(g in gseen)) { gseen[g] = 1; glist[++ngroups] = g }
        if (S[r, "bind"] == "none") {
            if (S[r, "schedule"] == "static") gstatic[g] = 1
            if (!(g in gfirst)) gfirst[g] = S[r, "schedule"]
        }
    }
    for (g in gseen) mainsched[g] = (g in gstatic) ? "static" : gfirst[g]
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
