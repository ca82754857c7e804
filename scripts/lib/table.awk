# The medians table of the report: one line per configuration of summary.csv, as
# section TAB cells (TAB-separated), sorted by parameters, backend, schedule, pinning
# and threads. Numbers keep four significant digits; failed rows show their status.

BEGIN { FS = ","; OFS = "\t" }
FNR == 1 { read_header(); next }
{ load_summary_row() }

function rank(b) {
    return (b == "seq") ? 1 : (b == "pthread") ? 2 : 3
}

function sort_key(r) {
    return sprintf("%s|%s|%d|%s|%s|%s|%08d", S[r, "workload"], S[r, "params"], rank(S[r, "backend"]), \
        S[r, "runtime"], S[r, "schedule"], S[r, "bind"], S[r, "threads"])
}

function num(x) {
    return (x == "-" || x == "") ? "-" : sprintf("%.4g", x)
}

END {
    for (r = 1; r <= nrows; r++) { idx[r] = r; key[r] = sort_key(r) }
    for (i = 2; i <= nrows; i++) {
        x = idx[i]
        for (j = i - 1; j >= 1 && key[idx[j]] > key[x]; j--) idx[j + 1] = idx[j]
        idx[j + 1] = x
    }
    for (i = 1; i <= nrows; i++) {
        r = idx[i]
        p = S[r, "params"]
        gsub(/;/, " ", p)
        if (ok_row(r)) {
            note = (S[r, "noisy"] == 1) ? "noisy" : ""
            if (S[r, "verified"] != 1) note = note (note ? ", " : "") "not verified"
            ci = num(S[r, "ci_lo_s"]) " to " num(S[r, "ci_hi_s"])
            if (S[r, "ci_level"] != "-" && S[r, "ci_level"] != "") ci = ci sprintf(" (%.3g%%)", 100 * S[r, "ci_level"])
            cv = (S[r, "cv"] == "-") ? "-" : sprintf("%.3g%%", 100 * S[r, "cv"])
            print S[r, "workload"], series_name(S[r, "backend"], S[r, "runtime"]), S[r, "threads"], \
                  S[r, "tasks"], S[r, "schedule"], S[r, "bind"], p, S[r, "reps"], num(S[r, "median_s"]), ci, \
                  cv, num(S[r, "speedup"]), num(S[r, "efficiency"]), note
        } else {
            print S[r, "workload"], series_name(S[r, "backend"], S[r, "runtime"]), S[r, "threads"], \
                  S[r, "tasks"], S[r, "schedule"], S[r, "bind"], p, S[r, "reps"], "-", "-", "-", "-", "-", \
                  "FAILED (" S[r, "status"] ")"
        }
    }
}
