# The medians table of the report: one line per configuration of summary.csv, as
# section TAB cells (TAB-separated), sorted by parameters, backend, schedule, pinning
# and threads. Numbers keep four significant digits; failed, disturbed and missing rows
# say so in the note, as do short and noisy ones and disturbed repetitions excluded.

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
        # A disturbed configuration that got no clean repetition still has statistics
        # (from its disturbed ones): shown, and marked.
        if (S[r, "median_s"] != "-" && (ok_row(r) || S[r, "status"] == "disturbed")) {
            note = (S[r, "status"] == "disturbed") ? "DISTURBED (no clean repetitions; no finding)" : ""
            if (S[r, "noisy"] == 1) note = note (note ? ", " : "") "noisy"
            if (S[r, "short"] == 1) note = note (note ? ", " : "") "short"
            if (S[r, "verified"] != 1) note = note (note ? ", " : "") "not verified"
            if (S[r, "reps_disturbed"] + 0 > 0 && S[r, "status"] != "disturbed")
                note = note (note ? ", " : "") plural(S[r, "reps_disturbed"], "disturbed repetition") " excluded"
            ci = num(S[r, "ci_lo_s"]) " to " num(S[r, "ci_hi_s"])
            if (S[r, "ci_level"] != "-" && S[r, "ci_level"] != "") ci = ci sprintf(" (%.3g%%)", 100 * S[r, "ci_level"])
            cv = (S[r, "cv"] == "-") ? "-" : sprintf("%.3g%%", 100 * S[r, "cv"])
            print S[r, "workload"], series_name(S[r, "backend"], S[r, "runtime"]), S[r, "threads"], \
                  S[r, "tasks"], S[r, "schedule"], S[r, "bind"], p, S[r, "reps"], num(S[r, "median_s"]), ci, \
                  cv, num(S[r, "speedup"]), num(S[r, "efficiency"]), note
        } else {
            note = (S[r, "status"] == "missing") ? "MISSING (never ran)" : \
                   (S[r, "status"] == "disturbed") ? "DISTURBED" : "FAILED (" S[r, "status"] ")"
            print S[r, "workload"], series_name(S[r, "backend"], S[r, "runtime"]), S[r, "threads"], \
                  S[r, "tasks"], S[r, "schedule"], S[r, "bind"], p, S[r, "reps"], "-", "-", "-", "-", "-", note
        }
    }
}
