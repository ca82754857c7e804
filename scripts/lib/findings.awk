# Writes the report's findings from summary.csv, one per line: section TAB sentence.
# Every figure in a sentence comes from the data, so when the data changes, so does the
# sentence. Needs -v cores=N (physical cores of the machine).

BEGIN { FS = ","; OFS = "\t" }
FNR == 1 { read_header(); file++; next }
file == 1 { load_summary_row(); next }
# failed.csv (optional second file): the binary's error of each failed configuration.
file == 2 {
    k = get("workload") SUBSEP get("backend") SUBSEP get("runtime") SUBSEP get("threads") SUBSEP \
        get("tasks") SUBSEP get("schedule") SUBSEP get("bind") SUBSEP get("params")
    fail_error[k] = get("error") ((get("exit") != "-") ? " (exit " get("exit") ")" : "")
}

END {
    find_groups()
    for (gi = 1; gi <= ngroups; gi++) headline(glist[gi])
    for (gi = 1; gi <= ngroups; gi++) {
        g = glist[gi]
        # noop's times count constructs, not work: its overhead findings say what it measured.
        if (gworkload(g) != "noop") {
            best_and_stop(g)
            pool_vs_omp(g)
        }
        schedules(g)
        pinning(g)
    }
    contention()
    overhead()
    bandwidth()
    noisy_and_failed()
}

function gname(g,   p) {
    split(g, p, SUBSEP)
    gsub(/;/, " ", p[2])
    return p[1] " (" p[2] ", " p[3] (p[3] == 1 ? " task)" : " tasks)")
}

function is_main(r, g) {
    return group_of(r) == g && S[r, "bind"] == "none" && S[r, "schedule"] == mainsched[g] && ok_row(r)
}

function config_name(r,   p) {
    p = S[r, "params"]
    gsub(/;/, " ", p)
    return S[r, "workload"] " " series_name(S[r, "backend"], S[r, "runtime"]) " " thr(S[r, "threads"]) \
           ", " S[r, "schedule"] ", bind=" S[r, "bind"] ", " p
}

# "1 thread", "4 threads".
function thr(n) {
    return (n + 0 == 1) ? "1 thread" : (n + 0) " threads"
}

# Rows of one series of the main sweep sorted by threads into rows[1..n].
function sorted_rows(g, s, rows,   r, n) {
    n = 0
    for (r = 1; r <= nrows; r++)
        if (is_main(r, g) && series_name(S[r, "backend"], S[r, "runtime"]) == s) rows[++n] = r
    sort_by_threads(rows, n)
    return n
}

# For the overview: the best speedup of a parameter set, by which backend at how many
# threads, and whether it went past the core count (what waiting-bound work can do and
# CPU-bound work cannot).
function headline(g,   r, best, where) {
    best = 0
    for (r = 1; r <= nrows; r++)
        if (is_main(r, g) && S[r, "backend"] != "seq" && S[r, "speedup"] != "-" && \
            (!best || S[r, "speedup"] + 0 > S[best, "speedup"] + 0)) best = r
    if (!best || gworkload(g) == "noop") return
    where = ""
    if (cores > 0)
        where = (S[best, "speedup"] + 0 > cores * 1.1) ? sprintf(", past the %d cores", cores) : \
                (S[best, "speedup"] + 0 >= cores * 0.9) ? sprintf(", about the %d cores", cores) : \
                sprintf(", short of the %d cores", cores)
    print "overview", sprintf("%s: best speedup %.2fx (%s at %s)%s.", gname(g), S[best, "speedup"], \
        series_name(S[best, "backend"], S[best, "runtime"]), thr(S[best, "threads"]), where)
}

# The fastest thread count of each backend, and where adding threads stopped paying
# (less than 10% faster for twice as many threads, or slower).
function best_and_stop(g,   ser, r, i, n, rows, best, j, k, stop, sp, s, beaten, noisy) {
    ser[0] = 0
    for (r = 1; r <= nrows; r++)
        if (is_main(r, g) && S[r, "backend"] != "seq")
            add_unique(ser, series_name(S[r, "backend"], S[r, "runtime"]))
    sort_str(ser, ser[0])
    for (i = 1; i <= ser[0]; i++) {
        n = sorted_rows(g, ser[i], rows)
        best = rows[1]
        for (j = 2; j <= n; j++) if (S[rows[j], "median_s"] + 0 < S[best, "median_s"] + 0) best = rows[j]
        sp = (S[best, "speedup"] != "-") ? sprintf(", %.2fx the sequential speed", S[best, "speedup"]) : ""
        s = sprintf("%s: %s is fastest at %s (median %s s%s).", gname(g), ser[i], \
                    thr(S[best, "threads"]), secs(S[best, "median_s"]), sp)
        if (n >= 2) {
            # Scaling stops at the smallest count that no larger count beats by 10% or
            # more, so one bad point in the middle does not end the curve early.
            stop = n
            for (j = 1; j < n; j++) {
                beaten = 0
                for (k = j + 1; k <= n; k++)
                    if (S[rows[k], "median_s"] + 0 < 0.9 * S[rows[j], "median_s"]) beaten = 1
                if (!beaten) { stop = j; break }
            }
            if (stop < n)
                s = s sprintf(" Scaling stops at %s: no larger count is 10%% faster (at %s the time is %+.1f%%, %s s against %s s)%s.", \
                    thr(S[rows[stop], "threads"]), thr(S[rows[n], "threads"]), \
                    100 * (S[rows[n], "median_s"] / S[rows[stop], "median_s"] - 1), \
                    secs(S[rows[n], "median_s"]), secs(S[rows[stop], "median_s"]), \
                    (cores > 0) ? sprintf("; the machine has %d cores", cores) : "")
            else
                s = s sprintf(" Scaling had not stopped at the largest count tested, %s%s: every smaller count is at least 10%% slower than some larger one.", \
                    thr(S[rows[n], "threads"]), (cores <= 0) ? "" : \
                    sprintf(" (%s than the %d cores)", (S[rows[n], "threads"] > cores) ? "more" : "no more", cores))
            noisy = 0
            for (j = 1; j <= n; j++) if (S[rows[j], "noisy"] == 1) noisy++
            if (noisy) s = s sprintf(" %d of these %d medians are noisy (cv > 5%%): read with care.", noisy, n)
        }
        print gworkload(g), s
    }
}

# The pool's median time over OpenMP's at each thread count both ran.
function pool_vs_omp(g,   r, q, rt, k, logsum, n, lo, hi, lot, hit, x, rts, i, word) {
    rts[0] = 0
    for (r = 1; r <= nrows; r++) if (is_main(r, g) && S[r, "backend"] == "omp") add_unique(rts, S[r, "runtime"])
    for (i = 1; i <= rts[0]; i++) {
        rt = rts[i]
        n = 0; logsum = 0; lo = ""; hi = ""
        for (r = 1; r <= nrows; r++) {
            if (!is_main(r, g) || S[r, "backend"] != "pthread") continue
            for (q = 1; q <= nrows; q++)
                if (is_main(q, g) && S[q, "backend"] == "omp" && S[q, "runtime"] == rt && \
                    S[q, "threads"] == S[r, "threads"]) {
                    x = S[r, "median_s"] / S[q, "median_s"]
                    n++; logsum += log(x)
                    if (lo == "" || x < lo) { lo = x; lot = S[r, "threads"] }
                    if (hi == "" || x > hi) { hi = x; hit = S[r, "threads"] }
                }
        }
        if (n == 0) continue
        x = exp(logsum / n)
        word = (x >= 1.5) ? sprintf("the pool takes %.2fx as long", x) : \
               (x <= 1 / 1.5) ? sprintf("OpenMP takes %.2fx as long", 1 / x) : \
               (x > 1.02) ? sprintf("the pool is %.0f%% slower", 100 * (x - 1)) : \
               (x < 0.98) ? sprintf("the pool is %.0f%% faster", 100 * (1 - x)) : "they are within 2%"
        if (n == 1)
            print gworkload(g), sprintf("%s: pool time / OpenMP (%s) time = %.2f at %s: %s.", gname(g), rt, x, thr(lot), word)
        else
            print gworkload(g), sprintf("%s: pool time / OpenMP (%s) time = %.2f (geometric mean over %d thread counts, from %.2f at %s to %.2f at %s): %s.", \
                gname(g), rt, x, n, lo, thr(lot), hi, thr(hit), word)
    }
}

# The best schedule per backend at its largest thread count, against static.
function schedules(g,   sch, r, ser, i, maxt, best, st, q) {
    sch[0] = 0; ser[0] = 0
    for (r = 1; r <= nrows; r++)
        if (group_of(r) == g && S[r, "bind"] == "none" && ok_row(r) && S[r, "backend"] != "seq") {
            add_unique(sch, S[r, "schedule"])
            add_unique(ser, series_name(S[r, "backend"], S[r, "runtime"]))
        }
    if (sch[0] < 2) return
    sort_str(ser, ser[0])
    for (i = 1; i <= ser[0]; i++) {
        maxt = 0
        for (r = 1; r <= nrows; r++)
            if (group_of(r) == g && S[r, "bind"] == "none" && ok_row(r) && \
                series_name(S[r, "backend"], S[r, "runtime"]) == ser[i] && S[r, "threads"] + 0 > maxt)
                maxt = S[r, "threads"] + 0
        best = 0; st = 0
        for (r = 1; r <= nrows; r++)
            if (group_of(r) == g && S[r, "bind"] == "none" && ok_row(r) && \
                series_name(S[r, "backend"], S[r, "runtime"]) == ser[i] && S[r, "threads"] + 0 == maxt) {
                if (!best || S[r, "median_s"] + 0 < S[best, "median_s"] + 0) best = r
                if (S[r, "schedule"] == "static") st = r
            }
        q = (st && st != best) ? sprintf("; static takes %.2fx as long (%s s)", \
                S[st, "median_s"] / S[best, "median_s"], secs(S[st, "median_s"])) : ""
        print gworkload(g), sprintf("%s at %s: %s is fastest with schedule %s (%s s)%s.", \
            gname(g), thr(maxt), ser[i], S[best, "schedule"], secs(S[best, "median_s"]), q)
    }
}

# What each pinning policy changed against no pinning: the average change, the range,
# and every change that lies outside both confidence intervals.
function pinning(g,   binds, r, q, x, i, n, clear, ser, logsum, lo, hi, lotxt, hitxt, item, list) {
    binds[0] = 0
    for (r = 1; r <= nrows; r++)
        if (group_of(r) == g && S[r, "bind"] != "none" && ok_row(r)) add_unique(binds, S[r, "bind"])
    sort_str(binds, binds[0])
    for (i = 1; i <= binds[0]; i++) {
        n = 0; clear = 0; logsum = 0; lo = ""; hi = ""; list = ""
        for (r = 1; r <= nrows; r++) {
            if (group_of(r) != g || S[r, "bind"] != binds[i] || !ok_row(r)) continue
            for (q = 1; q <= nrows; q++)
                if (group_of(q) == g && S[q, "bind"] == "none" && ok_row(q) && \
                    S[q, "backend"] == S[r, "backend"] && S[q, "runtime"] == S[r, "runtime"] && \
                    S[q, "threads"] == S[r, "threads"] && S[q, "schedule"] == S[r, "schedule"]) {
                    x = S[r, "median_s"] / S[q, "median_s"]
                    ser = series_name(S[r, "backend"], S[r, "runtime"])
                    item = sprintf("%+.1f%% for %s at %s", 100 * (x - 1), ser, thr(S[r, "threads"]))
                    n++; logsum += log(x)
                    if (lo == "" || x < lo) { lo = x; lotxt = item }
                    if (hi == "" || x > hi) { hi = x; hitxt = item }
                    if (S[r, "ci_lo_s"] != "-" && S[q, "ci_lo_s"] != "-" && \
                        (S[r, "ci_lo_s"] + 0 > S[q, "ci_hi_s"] + 0 || S[q, "ci_lo_s"] + 0 > S[r, "ci_hi_s"] + 0)) {
                        clear++
                        list = list (clear > 1 ? ", " : "") item
                    }
                    break
                }
        }
        if (n == 0) continue
        print gworkload(g), sprintf("%s: bind=%s changed the median time against no pinning by %+.1f%% on average (geometric mean over %d configurations), from %s to %s; %d of %d changes lie outside both confidence intervals%s (negative is faster).", \
            gname(g), binds[i], 100 * (exp(logsum / n) - 1), n, lotxt, hitxt, clear, n, \
            clear ? ": " list : "")
    }
}

# Cost per update of each synchronisation mode and the racy mode's losses, at the
# largest thread count of each backend.
function contention(   r, ser, i, maxt, s, lost, m) {
    ser[0] = 0
    for (r = 1; r <= nrows; r++)
        if (S[r, "workload"] == "contention" && ok_row(r) && S[r, "bind"] == "none" && S[r, "backend"] != "seq")
            add_unique(ser, series_name(S[r, "backend"], S[r, "runtime"]))
    sort_str(ser, ser[0])
    for (i = 1; i <= ser[0]; i++) {
        maxt = 0
        for (r = 1; r <= nrows; r++)
            if (S[r, "workload"] == "contention" && ok_row(r) && S[r, "bind"] == "none" && \
                series_name(S[r, "backend"], S[r, "runtime"]) == ser[i] && S[r, "threads"] + 0 > maxt)
                maxt = S[r, "threads"] + 0
        s = ""; lost = ""
        for (r = 1; r <= nrows; r++)
            if (S[r, "workload"] == "contention" && ok_row(r) && S[r, "bind"] == "none" && \
                series_name(S[r, "backend"], S[r, "runtime"]) == ser[i] && S[r, "threads"] + 0 == maxt && \
                expected_updates(r) > 0) {
                m = metric(S[r, "params"], "mode")
                s = s (s == "" ? "" : ", ") sprintf("%s %.3g ns", m, S[r, "median_s"] * 1e9 / expected_updates(r))
                if (m == "racy" && metric(S[r, "metrics"], "lost") != "")
                    lost = sprintf(" The racy mode lost %d of %d updates (%.1f%%); the others must lose none.", \
                        metric(S[r, "metrics"], "lost"), expected_updates(r), \
                        100 * metric(S[r, "metrics"], "lost") / expected_updates(r))
            }
        if (s != "") print "contention", sprintf("%s at %d threads, time per update: %s.%s", ser[i], maxt, s, lost)
    }
}

# Overhead per construct, pool against OpenMP, at the largest thread count both ran,
# for each parameter set (construct) of the noop workload.
function overhead(   gi, g, r, q, maxt, pool, omp, rt, t) {
    for (gi = 1; gi <= ngroups; gi++) {
        g = glist[gi]
        if (gworkload(g) != "noop") continue
        maxt = 0
        for (r = 1; r <= nrows; r++)
            if (is_main(r, g) && S[r, "backend"] == "pthread" && metric(S[r, "metrics"], "overhead_us") != "") {
                t = S[r, "threads"] + 0
                for (q = 1; q <= nrows; q++)
                    if (is_main(q, g) && S[q, "backend"] == "omp" && S[q, "threads"] + 0 == t && \
                        metric(S[q, "metrics"], "overhead_us") != "" && t > maxt) maxt = t
            }
        if (maxt == 0) continue
        pool = ""; omp = ""
        for (r = 1; r <= nrows; r++)
            if (is_main(r, g) && S[r, "threads"] + 0 == maxt) {
                if (S[r, "backend"] == "pthread") pool = metric(S[r, "metrics"], "overhead_us")
                if (S[r, "backend"] == "omp" && omp == "") { omp = metric(S[r, "metrics"], "overhead_us"); rt = S[r, "runtime"] }
            }
        if (omp + 0 > 0)
            print "noop", sprintf("%s: overhead per construct at %s: pool %.3g us, OpenMP (%s) %.3g us, a ratio pool/OpenMP of %.2f.", \
                gname(g), thr(maxt), pool, rt, omp, pool / omp)
        else
            print "noop", sprintf("%s: overhead per construct at %s: pool %.3g us, OpenMP (%s) %.3g us.", \
                gname(g), thr(maxt), pool, rt, omp)
    }
}

# The highest bandwidth each backend reached and where adding threads stopped adding it.
function bandwidth(   gi, g, r, ser, i, n, rows, best, bw, j, name) {
    for (gi = 1; gi <= ngroups; gi++) {
        g = glist[gi]
        ser[0] = 0
        for (r = 1; r <= nrows; r++)
            if (is_main(r, g) && S[r, "backend"] != "seq" && \
                (metric(S[r, "metrics"], "gb_s") != "" || metric(S[r, "metrics"], "gbps") != ""))
                add_unique(ser, series_name(S[r, "backend"], S[r, "runtime"]))
        sort_str(ser, ser[0])
        for (i = 1; i <= ser[0]; i++) {
            n = sorted_rows(g, ser[i], rows)
            best = 0
            for (j = 1; j <= n; j++) {
                name = (metric(S[rows[j], "metrics"], "gb_s") != "") ? "gb_s" : "gbps"
                bw[j] = metric(S[rows[j], "metrics"], name) + 0
                if (!best || bw[j] > bw[best]) best = j
            }
            print gworkload(g), sprintf("%s: %s reaches its highest bandwidth, %.3g GB/s, at %s%s.", gname(g), ser[i], \
                bw[best], thr(S[rows[best], "threads"]), \
                (best > 1) ? sprintf(" (%.2fx its %.3g GB/s at %s)", bw[best] / bw[1], bw[1], thr(S[rows[1], "threads"])) : "")
        }
    }
}

function noisy_and_failed(   r, n, k) {
    n = 0
    for (r = 1; r <= nrows; r++)
        if (ok_row(r) && S[r, "noisy"] == 1) {
            print "noisy", sprintf("Noisy (cv %.1f%% > 5%%): %s.", 100 * S[r, "cv"], config_name(r))
            n++
        }
    if (n == 0) print "noisy", "No configuration was noisy: every coefficient of variation is at most 5%."
    for (r = 1; r <= nrows; r++)
        if (S[r, "status"] != "ok") {
            k = S[r, "workload"] SUBSEP S[r, "backend"] SUBSEP S[r, "runtime"] SUBSEP S[r, "threads"] SUBSEP \
                S[r, "tasks"] SUBSEP S[r, "schedule"] SUBSEP S[r, "bind"] SUBSEP S[r, "params"]
            print "failed", sprintf("Failed (%s, verified=%s): %s.%s", S[r, "status"], S[r, "verified"], config_name(r), \
                (k in fail_error) ? " Error: " fail_error[k] : "")
        }
}
