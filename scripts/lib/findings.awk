# Writes the report's findings from summary.csv, one per line: section TAB sentence (the
# answers: "answers" TAB group TAB threads TAB fastest). For the report that compares
# machines (scripts/report-machines) it adds, in sections the single-run report does not
# show: "pick" TAB group TAB threads TAB series TAB median with interval TAB best threads
# TAB best median TAB its interval's low end TAB high end (or "-" TAB why), and "verdict"
# TAB key TAB value TAB sentence: what a finding concluded, under a key that does not
# depend on the machine, so that the conclusions of two machines can be compared. Every figure in a sentence
# comes from the data, so when the data changes, so does the sentence. A difference is
# stated only when the confidence intervals of the two medians do not overlap (apart);
# rows that are not ok, not verified or short make no finding (finding_row).
# Input files, told apart by their headers: summary.csv (first), and optionally
# failed.csv (the binaries' errors), results.csv (interference per repetition) and the
# counters' statistics (stats.sh's counter_stats: the intervals of their medians).
# Needs -v cores=N (physical cores); -v has_plan=1 when the run has a plan.csv, and
# -v finished=1 when meta.json says the run finished.

BEGIN { FS = ","; OFS = "\t" }
FNR == 1 {
    read_header()
    kind = ("error" in col) ? "failed" : ("rep" in col) ? "results" : ("counter" in col) ? "counters" : "summary"
    next
}
kind == "summary" { load_summary_row(); next }
kind == "counters" { load_counter_interval(); next }
kind == "failed" { fail_error[config_key()] = get("error") ((get("exit") != "-") ? " (exit " get("exit") ")" : ""); next }
kind == "results" { interference(); python_rep(); next }

# Sums of the interference the runner measured in each repetition (results.csv): over
# the run, and per configuration over its disturbed repetitions.
function interference(   k, f, st) {
    total_reps++
    total_wall += get("wall_s")
    f = metric(get("metrics"), "foreign_cpu_s"); st = metric(get("metrics"), "steal_s")
    if (is_num(f)) { total_foreign += f; measured_reps++ }
    if (is_num(st)) total_steal += st
    if (get("disturbed") == 1) {
        k = config_key()
        dist_reps[k]++; total_disturbed++
        if (is_num(f)) dist_foreign[k] += f
        if (is_num(st)) dist_steal[k] += st
    }
}

END {
    find_groups()
    completeness()
    quiet()
    for (gi = 1; gi <= ngroups; gi++) answer(glist[gi])
    for (gi = 1; gi <= ngroups; gi++) headline(glist[gi])
    for (gi = 1; gi <= ngroups; gi++) {
        g = glist[gi]
        # noop's times count constructs, not work: its overhead findings say what it measured.
        if (gworkload(g) != "noop") {
            scaling(g)
            pool_vs_omp(g)
        }
        schedules(g)
        pinning(g)
    }
    contention()
    overhead()
    bandwidth()
    for (gi = 1; gi <= ngroups; gi++) counter_finding(glist[gi])
    python_findings()
    noise_and_failures()
}

function gname(g,   p) {
    split(g, p, SUBSEP)
    gsub(/;/, " ", p[2])
    return p[1] " (" p[2] ", " plural(p[3], "task") ")"
}

function config_name(r,   p) {
    p = S[r, "params"]
    gsub(/;/, " ", p)
    return S[r, "workload"] " " series_name(S[r, "backend"], S[r, "runtime"]) " " plural(S[r, "threads"], "thread") \
           ", " S[r, "schedule"] ", bind=" S[r, "bind"] ", " p
}

# "0.2059 s [0.2035 to 0.2095]": a median with the confidence interval of the median.
function with_interval(r) {
    return secs(S[r, "median_s"]) " s [" secs(lo_of(r)) " to " secs(hi_of(r)) "]"
}

function thr(n) { return plural(n, "thread") }

# A series named without the runtime's version (omp/libgomp-12.2.0 is omp/libgomp), so
# that two machines' conclusions about the same runtime meet under one key.
function family(s) {
    sub(/-[0-9][0-9.]*$/, "", s)
    return s
}

# One conclusion for the comparison of machines (see the top of this file).
function verdict(key, value, sentence) {
    print "verdict", key, value, sentence
}

# Where a thread count sits against the core count, in words.
function against_cores(t) {
    if (cores <= 0) return plural(t, "thread")
    return (t + 0 < cores) ? "fewer threads than the cores" : (t + 0 == cores) ? "the core count" : "more threads than the cores"
}

# How complete the run is: rows with status missing are configurations of plan.csv that
# never ran (an interrupted run); without plan.csv an unfinished run cannot say.
function completeness(   r, n, list, ran) {
    n = 0; ran = 0; list = ""
    for (r = 1; r <= nrows; r++) {
        if (S[r, "status"] == "missing") { n++; list = list (n > 1 ? "; " : "") config_name(r) }
        else ran++
    }
    if (n > 0)
        print "run", sprintf("This run is incomplete: %d of %s ran; %s missing (never measured): %s.", \
            ran, plural(nrows, "configuration"), (n == 1) ? "this one is" : "these " n " are", list)
    else if (!has_plan && !finished)
        print "run", sprintf("This run did not finish, and it has no plan.csv (it was made by a runner that did not write one): the report cannot know how many configurations were planned or which are missing. %s ran.", \
            plural(ran, "configuration"))
}

# Whether the machine was quiet while the run measured: the foreign CPU time and the
# steal summed over every measured repetition, against the measured (wall) time.
function quiet(   word) {
    if (total_reps == 0) return
    if (measured_reps == 0) {
        print "quiet", sprintf("unknown: the run recorded no foreign CPU or steal time (a runner from before they were measured); %s, %s s measured", \
            plural(total_reps, "repetition"), secs(total_wall))
        return
    }
    word = (total_disturbed == 0) ? "quiet: no repetition was disturbed" : \
        sprintf("not quiet: %d of %s disturbed (foreign CPU and steal above the runner's limit)", \
            total_disturbed, plural(total_reps, "repetition"))
    print "quiet", sprintf("%s; over %s s of measured time, other work used %s s of CPU (%.1f%% of one CPU) and the hypervisor stole %s s", \
        word, secs(total_wall), secs(total_foreign), 100 * total_foreign / total_wall, secs(total_steal))
}

# Why a group has no finding: every row failed, was not verified, or was short.
function no_finding_reason(g,   r, any, ok, unver, short) {
    for (r = 1; r <= nrows; r++) {
        if (group_of(r) != g) continue
        any++
        if (!ok_row(r)) continue
        ok++
        if (S[r, "verified"] != 1) unver++
        else if (S[r, "short"] == 1) short++
    }
    if (!ok) return "no answer: no configuration was measured (failed, disturbed or missing)"
    if (short) return "too short to tell: " short_rule()
    if (unver) return "no answer: results not verified"
    return "no answer"
}

# A group whose unverified rows lost updates on purpose (contention's racy mode: a row
# the run accepted, status ok, whose check failed with a `lost` count) answers no
# thread count: what it shows is the loss. The text, or "" for any other group.
function loses_updates(g,   r, worst, frac, wt) {
    worst = 0
    for (r = 1; r <= nrows; r++) {
        if (group_of(r) != g || !ok_row(r) || S[r, "verified"] == 1) continue
        if (metric(S[r, "metrics"], "lost") + 0 <= 0 || metric(S[r, "metrics"], "expected") + 0 <= 0) return ""
        frac = metric(S[r, "metrics"], "lost") / metric(S[r, "metrics"], "expected")
        if (!worst || frac > worst) { worst = frac; wt = S[r, "threads"] }
    }
    if (!worst) return ""
    return sprintf("none: it loses updates on purpose (up to %.1f%% of them, at %s), the race the other modes fix; see the findings below", \
        100 * worst, thr(wt))
}

# The answers a reader came for, per group: how many threads (the thread rule, for the
# fastest backend) and which backend is fastest (only when its interval is apart from
# every other backend's best).
function answer(g,   ser, i, n, rows, best, bser, b, threads, fastest, tied, others, pick, r, k, gaps, par) {
    if (gworkload(g) == "noop") { answer_noop(g); return }
    if ((threads = loses_updates(g)) != "") {
        print "answers", gname(g), threads, "-"
        print "pick", gname(g), "-", threads
        return
    }
    # Every series of the main sweep, measured or not, so that the answer names each gap.
    ser[0] = 0
    for (r = 1; r <= nrows; r++)
        if (group_of(r) == g && S[r, "bind"] == "none" && S[r, "schedule"] == mainsched[g] && S[r, "backend"] != "seq")
            add_unique(ser, series_name(S[r, "backend"], S[r, "runtime"]))
    sort_str(ser, ser[0])
    ser[++ser[0]] = "seq"
    b = 0; gaps = ""; par = 0
    for (i = 1; i <= ser[0]; i++) {
        n = finding_rows(g, ser[i], rows)
        if (finding_gap != "") gaps = gaps (gaps == "" ? "" : ", ") ser[i] " " finding_gap
        if (n == 0) continue
        if (ser[i] != "seq") par++
        thread_rule(rows, n)
        best[i] = rows[rule_best]; pick[i] = rows[rule_pick]
        if (!b || S[best[i], "median_s"] + 0 < S[best[b], "median_s"] + 0) b = i
    }
    # With no parallel sweep that can speak, seq alone answers nothing.
    if (!b || !par) {
        threads = (gaps ~ /disturbed|failed|missing|incomplete|not verified/) ? "no answer: " gaps : \
            no_finding_reason(g) (gaps != "" ? " (" gaps ")" : "")
        print "answers", gname(g), threads, "-"
        print "pick", gname(g), "-", threads
        return
    }
    threads = thr(S[pick[b], "threads"]) ": " ser[b] " " with_interval(pick[b])
    if (ser[b] == "seq") threads = "1 thread: seq " with_interval(pick[b]) ", no parallel backend is faster beyond the noise"
    for (i = 1; i <= ser[0]; i++)
        if (i != b && (i in pick) && ser[i] != "seq")
            threads = threads "; " ser[i] ": " (S[pick[i], "threads"] == S[pick[b], "threads"] ? "also " : "") thr(S[pick[i], "threads"])
    tied = ""; k = 0
    for (i = 1; i <= ser[0]; i++)
        if (i != b && (i in best)) {
            k++
            if (!apart(best[b], best[i])) tied = tied ", " ser[i] " " with_interval(best[i]) " at " thr(S[best[i], "threads"])
        }
    if (k == 0 && gaps == "") fastest = ser[b] " (the only backend measured): " with_interval(best[b]) " at " thr(S[best[b], "threads"])
    else if (tied == "") fastest = ser[b] ": " with_interval(best[b]) " at " thr(S[best[b], "threads"])
    else fastest = "no difference beyond the noise: " ser[b] " " with_interval(best[b]) " at " thr(S[best[b], "threads"]) tied
    if (gaps != "") {
        threads = threads "; no answer for the others (" gaps ")"
        fastest = fastest " (not compared: " gaps ")"
    }
    print "answers", gname(g), threads, fastest
    print "pick", gname(g), S[pick[b], "threads"], ser[b], with_interval(pick[b]), S[best[b], "threads"], \
        S[best[b], "median_s"], lo_of(best[b]), hi_of(best[b])
    if (k > 0 && gaps == "")
        verdict(gname(g) ": the fastest backend", (tied == "") ? family(ser[b]) : "no difference beyond the noise", fastest)
}

# noop measures what a construct costs, not work: no thread count to recommend; the
# backend with the lowest overhead at the largest thread count every series ran.
function answer_noop(g,   r, t, maxt, cnt, nser, ser, b, i, tied, fastest, unit, cand) {
    ser[0] = 0
    for (r = 1; r <= nrows; r++)
        if (is_main(r, g) && S[r, "backend"] != "seq" && overhead_metric(r) != "") {
            add_unique(ser, series_name(S[r, "backend"], S[r, "runtime"]))
            cnt[S[r, "threads"] + 0]++
        }
    maxt = 0
    for (t in cnt) if (cnt[t] == ser[0] && t + 0 > maxt) maxt = t + 0
    if (maxt == 0) for (t in cnt) if (t + 0 > maxt) maxt = t + 0
    b = 0; nser = 0
    for (r = 1; r <= nrows; r++)
        if (is_main(r, g) && S[r, "backend"] != "seq" && S[r, "threads"] + 0 == maxt && overhead_metric(r) != "") {
            cand[++nser] = r
            if (!b || ov_value(r) < ov_value(b)) b = r
        }
    if (!b) { print "answers", gname(g), "-", no_finding_reason(g); print "pick", gname(g), "-", no_finding_reason(g); return }
    unit = overhead_unit(overhead_metric(b))
    tied = ""
    for (i = 1; i <= nser; i++)
        if (cand[i] != b && !ov_apart(b, cand[i]))
            tied = tied ", " series_name(S[cand[i], "backend"], S[cand[i], "runtime"]) " " ov_text(cand[i])
    fastest = series_name(S[b, "backend"], S[b, "runtime"]) " " ov_text(b)
    if (nser == 1) fastest = fastest " (the only backend measured)"
    else if (tied != "") fastest = "no difference beyond the noise: " fastest tied
    print "answers", gname(g), "- (noop measures cost, not work)", "lowest overhead " unit " at " thr(maxt) ": " fastest
    print "pick", gname(g), "-", "noop measures cost, not work"
    if (nser > 1)
        verdict(gname(g) ": the lowest overhead", (tied == "") ? family(series_name(S[b, "backend"], S[b, "runtime"])) : \
            "no difference beyond the noise", "lowest overhead " unit " at " thr(maxt) ": " fastest)
}

# "0.75 us [0.7125 to 0.795]": a noop figure with its interval.
function ov_text(r) {
    return sprintf("%.3g us [%.3g to %.3g]", ov_value(r), ov_lo(r), ov_hi(r))
}

# For the overview: the best speedup of a parameter set (the lowest median the thread
# rule finds, over every backend), and whether it went past the core count.
function headline(g,   ser, i, n, rows, best, r, where) {
    if (gworkload(g) == "noop") return
    main_series(g, ser)
    best = 0
    for (i = 1; i <= ser[0]; i++) {
        n = finding_rows(g, ser[i], rows)
        if (n == 0) continue
        thread_rule(rows, n)
        r = rows[rule_best]
        if (is_num(S[r, "speedup"]) && (!best || S[r, "speedup"] + 0 > S[best, "speedup"] + 0)) best = r
    }
    if (!best) return
    where = ""
    if (cores > 0)
        where = (S[best, "speedup"] + 0 > cores * 1.1) ? (", past the " plural(cores, "core")) : \
                (S[best, "speedup"] + 0 >= cores * 0.9) ? (", about the " plural(cores, "core")) : \
                (", short of the " plural(cores, "core"))
    print "overview", sprintf("%s: best speedup %.2fx (%s at %s)%s.", gname(g), S[best, "speedup"], \
        series_name(S[best, "backend"], S[best, "runtime"]), thr(S[best, "threads"]), where)
    if (where != "")
        verdict(gname(g) ": the best speedup against the core count", substr(where, 3, index(where, " the ") - 3), \
            sprintf("best speedup %.2fx (%s at %s)%s", S[best, "speedup"], series_name(S[best, "backend"], S[best, "runtime"]), \
                thr(S[best, "threads"]), where))
}

# Per backend, how many threads the thread rule picks and why: where scaling stops.
function scaling(g,   ser, i, n, rows, b, p, s, j, noisy, sp) {
    main_series(g, ser)
    for (i = 1; i <= ser[0]; i++) {
        n = finding_rows(g, ser[i], rows)
        if (n == 0) continue
        thread_rule(rows, n)
        b = rows[rule_best]; p = rows[rule_pick]
        sp = is_num(S[b, "speedup"]) ? sprintf(", %.2fx the sequential speed", S[b, "speedup"]) : ""
        if (n == 1)
            s = sprintf("%s: %s was measured at %s only: %s%s.", gname(g), ser[i], thr(S[b, "threads"]), with_interval(b), sp)
        else if (rule_pick == 1 && rule_best == 1)
            s = sprintf("%s: %s is fastest at %s, %s: no larger count is faster.", \
                gname(g), ser[i], thr(S[p, "threads"]), with_interval(p))
        else if (rule_pick == 1)
            s = sprintf("%s: %s is not faster by more than %d%% beyond the noise with more threads than %s (%s): the best median is %s at %s.", \
                gname(g), ser[i], 100 * (RULE_MARGIN - 1) + 0.5, thr(S[p, "threads"]), with_interval(p), \
                with_interval(b), thr(S[b, "threads"]))
        else if (rule_pick == n)
            s = sprintf("%s: %s was still faster beyond the noise at the largest count tested, %s (%s%s): scaling had not stopped%s.", \
                gname(g), ser[i], thr(S[p, "threads"]), with_interval(p), sp, \
                (cores > 0) ? sprintf(" (%s than the %s)", (S[p, "threads"] + 0 > cores) ? "more" : "no more", plural(cores, "core")) : "")
        else
            s = sprintf("%s: scaling of %s stops at %s (%s): no count is faster by more than %d%% beyond the noise (the best median is %s at %s), and %s is slower beyond the noise (%s)%s.", \
                gname(g), ser[i], thr(S[p, "threads"]), with_interval(p), 100 * (RULE_MARGIN - 1) + 0.5, \
                with_interval(b), thr(S[b, "threads"]), thr(S[rows[rule_pick - 1], "threads"]), \
                with_interval(rows[rule_pick - 1]), (cores > 0) ? ("; the machine has " plural(cores, "core")) : "")
        noisy = 0
        for (j = 1; j <= n; j++) if (S[rows[j], "noisy"] == 1) noisy++
        if (noisy) s = s sprintf(" %d of these %s %s noisy (cv > 5%%): read with care.", noisy, plural(n, "median"), noisy == 1 ? "is" : "are")
        print gworkload(g), s
        if (n > 1)
            verdict(gname(g) ": the thread rule for " family(ser[i]), \
                (rule_pick == n && rule_pick > 1) ? "still faster at the largest count tested" : "picks " against_cores(S[p, "threads"]), s)
    }
}

# The pool against each OpenMP runtime, thread count by thread count: a difference only
# where the two intervals are apart.
function pool_vs_omp(g,   r, q, rt, rts, i, n, faster, slower, nf, ns, x, item) {
    rts[0] = 0
    for (r = 1; r <= nrows; r++) if (is_main(r, g) && S[r, "backend"] == "omp") add_unique(rts, S[r, "runtime"])
    sort_str(rts, rts[0])
    for (i = 1; i <= rts[0]; i++) {
        rt = rts[i]
        n = 0; nf = 0; ns = 0; faster = ""; slower = ""
        for (r = 1; r <= nrows; r++) {
            if (!is_main(r, g) || S[r, "backend"] != "pthread" || !finding_row(r)) continue
            for (q = 1; q <= nrows; q++)
                if (is_main(q, g) && S[q, "backend"] == "omp" && S[q, "runtime"] == rt && finding_row(q) && \
                    S[q, "threads"] == S[r, "threads"]) {
                    n++
                    if (!apart(r, q)) continue
                    x = S[r, "median_s"] / S[q, "median_s"]
                    item = sprintf("%s (pool %s, OpenMP %s: %.2fx as long)", thr(S[r, "threads"]), with_interval(r), with_interval(q), x)
                    if (x < 1) faster = faster (nf++ ? ", " : "") item
                    else slower = slower (ns++ ? ", " : "") item
                }
        }
        if (n == 0) continue
        if (nf + ns == 0) {
            item = sprintf("%s: pool against OpenMP (%s): no difference beyond the noise at %s both ran.", \
                gname(g), rt, (n == 1) ? "the one thread count" : "any of the " n " thread counts")
            print gworkload(g), item
            verdict(gname(g) ": the pool against OpenMP (" family(rt) ")", "no difference beyond the noise", item)
            continue
        }
        item = sprintf("%s: pool against OpenMP (%s), at %s both ran:%s%s%s.", gname(g), rt, \
            plural(n, "thread count"), \
            nf ? " the pool is faster beyond the noise at " faster : "", \
            (nf && ns) ? ";" : "", ns ? " the pool is slower beyond the noise at " slower : "") \
            ((n > nf + ns) ? sprintf(" No difference beyond the noise at the other %d.", n - nf - ns) : "")
        print gworkload(g), item
        verdict(gname(g) ": the pool against OpenMP (" family(rt) ")", \
            (nf && ns) ? "faster at some counts, slower at others" : nf ? "the pool is faster at some counts" : "the pool is slower at some counts", item)
    }
}

# At the largest thread count of each backend, the fastest schedule, the schedules no
# different from it beyond the noise, and what static costs when it is beyond the noise.
function schedules(g,   sch, r, ser, i, maxt, best, st, n, rows, j, tied, q, s) {
    sch[0] = 0; ser[0] = 0
    for (r = 1; r <= nrows; r++)
        if (group_of(r) == g && S[r, "bind"] == "none" && finding_row(r) && S[r, "backend"] != "seq") {
            add_unique(sch, S[r, "schedule"])
            add_unique(ser, series_name(S[r, "backend"], S[r, "runtime"]))
        }
    if (sch[0] < 2) return
    sort_str(ser, ser[0])
    for (i = 1; i <= ser[0]; i++) {
        maxt = 0
        for (r = 1; r <= nrows; r++)
            if (group_of(r) == g && S[r, "bind"] == "none" && finding_row(r) && \
                series_name(S[r, "backend"], S[r, "runtime"]) == ser[i] && S[r, "threads"] + 0 > maxt)
                maxt = S[r, "threads"] + 0
        best = 0; st = 0; n = 0
        for (r = 1; r <= nrows; r++)
            if (group_of(r) == g && S[r, "bind"] == "none" && finding_row(r) && \
                series_name(S[r, "backend"], S[r, "runtime"]) == ser[i] && S[r, "threads"] + 0 == maxt) {
                rows[++n] = r
                if (!best || S[r, "median_s"] + 0 < S[best, "median_s"] + 0) best = r
                if (S[r, "schedule"] == "static") st = r
            }
        if (n < 2) continue
        tied = ""
        for (j = 1; j <= n; j++)
            if (rows[j] != best && !apart(best, rows[j])) tied = tied (tied == "" ? "" : ", ") S[rows[j], "schedule"]
        q = (st && st != best && apart(st, best)) ? sprintf("; static takes %.2fx as long (%s), beyond the noise", \
                S[st, "median_s"] / S[best, "median_s"], with_interval(st)) : ""
        if (tied != "" && tied !~ /,/ && n == 2)
            s = sprintf("%s at %s: %s shows no difference beyond the noise between schedules %s and %s.", \
                gname(g), thr(maxt), ser[i], S[best, "schedule"], tied)
        else
            s = sprintf("%s at %s: %s is fastest with schedule %s (%s)%s%s.", \
                gname(g), thr(maxt), ser[i], S[best, "schedule"], with_interval(best), \
                (tied != "") ? ", no different beyond the noise from " tied : ", faster beyond the noise than every other schedule", q)
        print gworkload(g), s
        verdict(gname(g) ": the fastest schedule of " family(ser[i]) " at its largest count", \
            (tied == "") ? S[best, "schedule"] : "no single fastest beyond the noise", s)
    }
}

# What each pinning policy changed against no pinning, configuration by configuration:
# only the changes that lie outside both confidence intervals are stated.
function pinning(g,   binds, r, q, x, i, n, nf, ns, faster, slower, item) {
    binds[0] = 0
    for (r = 1; r <= nrows; r++)
        if (group_of(r) == g && S[r, "bind"] != "none" && ok_row(r)) add_unique(binds, S[r, "bind"])
    sort_str(binds, binds[0])
    for (i = 1; i <= binds[0]; i++) {
        n = 0; nf = 0; ns = 0; faster = ""; slower = ""
        for (r = 1; r <= nrows; r++) {
            if (group_of(r) != g || S[r, "bind"] != binds[i] || !finding_row(r)) continue
            for (q = 1; q <= nrows; q++)
                if (group_of(q) == g && S[q, "bind"] == "none" && finding_row(q) && \
                    S[q, "backend"] == S[r, "backend"] && S[q, "runtime"] == S[r, "runtime"] && \
                    S[q, "threads"] == S[r, "threads"] && S[q, "schedule"] == S[r, "schedule"]) {
                    n++
                    if (apart(r, q)) {
                        x = S[r, "median_s"] / S[q, "median_s"]
                        item = sprintf("%+.1f%% for %s at %s", 100 * (x - 1), \
                            series_name(S[r, "backend"], S[r, "runtime"]), thr(S[r, "threads"]))
                        if (x < 1) faster = faster (nf++ ? ", " : "") item
                        else slower = slower (ns++ ? ", " : "") item
                    }
                    break
                }
        }
        if (n == 0) continue
        if (nf + ns == 0)
            item = sprintf("%s: bind=%s against no pinning: no change beyond the noise in any of the %s.", \
                gname(g), binds[i], plural(n, "configuration"))
        else
            item = sprintf("%s: bind=%s against no pinning, over %s: %s%s%s%s (median time; the intervals are apart).", \
                gname(g), binds[i], plural(n, "configuration"), nf ? "faster beyond the noise " faster : "", \
                (nf && ns) ? "; " : "", ns ? "slower beyond the noise " slower : "", \
                (n > nf + ns) ? sprintf("; no change beyond the noise in the other %d", n - nf - ns) : "")
        print gworkload(g), item
        verdict(gname(g) ": bind=" binds[i] " against no pinning", \
            (nf && ns) ? "faster in some configurations, slower in others" : nf ? "faster" : ns ? "slower" : "no change beyond the noise", item)
    }
}

# Cost per update of each synchronisation mode (with its interval) and the racy mode's
# losses, at the largest thread count of each backend.
function contention(   r, ser, i, maxt, s, lost, m) {
    ser[0] = 0
    for (r = 1; r <= nrows; r++)
        if (contention_row(r) && S[r, "backend"] != "seq")
            add_unique(ser, series_name(S[r, "backend"], S[r, "runtime"]))
    sort_str(ser, ser[0])
    for (i = 1; i <= ser[0]; i++) {
        maxt = 0
        for (r = 1; r <= nrows; r++)
            if (contention_row(r) && series_name(S[r, "backend"], S[r, "runtime"]) == ser[i] && S[r, "threads"] + 0 > maxt)
                maxt = S[r, "threads"] + 0
        s = ""; lost = ""
        for (r = 1; r <= nrows; r++)
            if (contention_row(r) && series_name(S[r, "backend"], S[r, "runtime"]) == ser[i] && \
                S[r, "threads"] + 0 == maxt && expected_updates(r) > 0) {
                m = metric(S[r, "params"], "mode")
                s = s (s == "" ? "" : ", ") sprintf("%s %.3g ns [%.3g to %.3g]", m, per_update_ns(r, S[r, "median_s"]), \
                    per_update_ns(r, lo_of(r)), per_update_ns(r, hi_of(r)))
                if (m == "racy" && metric(S[r, "metrics"], "lost") != "")
                    lost = sprintf(" The racy mode lost %d of %d updates (%.1f%%); the others must lose none.", \
                        metric(S[r, "metrics"], "lost"), expected_updates(r), \
                        100 * metric(S[r, "metrics"], "lost") / expected_updates(r))
            }
        if (s != "") print "contention", sprintf("%s at %s, time per update: %s.%s", ser[i], thr(maxt), s, lost)
    }
}

# Overhead per construct of every backend and OpenMP runtime, at the largest thread
# count the pool and OpenMP both ran, for each noop parameter set; each runtime against
# the pool only where the intervals are apart.
function overhead(   gi, g, r, q, maxt, t, pool, list, cmp, x, unit, name) {
    for (gi = 1; gi <= ngroups; gi++) {
        g = glist[gi]
        if (gworkload(g) != "noop") continue
        maxt = 0
        for (r = 1; r <= nrows; r++)
            if (is_main(r, g) && S[r, "backend"] == "pthread" && overhead_metric(r) != "") {
                t = S[r, "threads"] + 0
                for (q = 1; q <= nrows; q++)
                    if (is_main(q, g) && S[q, "backend"] == "omp" && S[q, "threads"] + 0 == t && \
                        overhead_metric(q) != "" && t > maxt) maxt = t
            }
        if (maxt == 0) continue
        pool = 0
        for (r = 1; r <= nrows; r++)
            if (is_main(r, g) && S[r, "threads"] + 0 == maxt && S[r, "backend"] == "pthread" && overhead_metric(r) != "") pool = r
        unit = overhead_unit(overhead_metric(pool))
        list = "pool " ov_text(pool); cmp = ""
        for (r = 1; r <= nrows; r++) {
            if (!is_main(r, g) || S[r, "threads"] + 0 != maxt || S[r, "backend"] != "omp" || overhead_metric(r) == "") continue
            name = "OpenMP (" S[r, "runtime"] ")"
            list = list ", " name " " ov_text(r)
            if (!ov_apart(pool, r)) cmp = cmp sprintf(" Pool and %s: no difference beyond the noise.", name)
            else if (ov_value(r) > 0) {
                x = ov_value(pool) / ov_value(r)
                cmp = cmp sprintf(" Pool / %s = %.2f, beyond the noise.", name, x)
            }
            vkey[++nv] = gname(g) ": the pool's overhead against OpenMP (" family(S[r, "runtime"]) ")"
            vval[nv] = !ov_apart(pool, r) ? "no difference beyond the noise" : (ov_value(pool) > ov_value(r)) ? "higher" : "lower"
        }
        print "noop", sprintf("%s: overhead %s at %s: %s.%s", gname(g), unit, thr(maxt), list, cmp)
        for (; nv > 0; nv--) verdict(vkey[nv], vval[nv], sprintf("%s: overhead %s at %s: %s.%s", gname(g), unit, thr(maxt), list, cmp))
    }
}

# Bandwidth per backend at the thread count the thread rule picks, and at one thread.
function bandwidth(   gi, g, ser, i, n, rows, p) {
    for (gi = 1; gi <= ngroups; gi++) {
        g = glist[gi]
        main_series(g, ser)
        for (i = 1; i <= ser[0]; i++) {
            n = finding_rows(g, ser[i], rows)
            if (n == 0 || metric(S[rows[1], "metrics"], "gb_s") == "") continue
            thread_rule(rows, n)
            p = rows[rule_pick]
            print gworkload(g), sprintf("%s: %s reaches %.3g GB/s at %s, the count the thread rule picks%s.", gname(g), ser[i], \
                metric(S[p, "metrics"], "gb_s"), thr(S[p, "threads"]), \
                (rule_pick > 1) ? sprintf(" (%.3g GB/s at %s, slower beyond the noise)", metric(S[rows[1], "metrics"], "gb_s"), \
                    thr(S[rows[1], "threads"])) : "")
        }
    }
}

# A count as people write it: 3,939; a median between two counts keeps one decimal.
function count(x) {
    if (x + 0 != int(x + 0)) return sprintf("%.1f", x)
    return (x + 0 < 0 ? "-" : "") commas(sprintf("%d", x < 0 ? -x : x))
}

# Commas every three digits from the right of a string of digits.
function commas(d,   out) {
    out = ""
    while (length(d) > 3) { out = "," substr(d, length(d) - 2) out; d = substr(d, 1, length(d) - 3) }
    return d out
}

# The interval of the median of counter name in row r, " [lo to hi]", or "" when unknown.
function count_interval(r, name) {
    return (counter_lo(r, name) == "") ? "" : " [" count(counter_lo(r, name)) " to " count(counter_hi(r, name)) "]"
}

# True when the intervals of counter name in rows r and q are known and do not overlap.
function counter_apart(r, q, name) {
    if (counter_lo(r, name) == "" || counter_lo(q, name) == "") return 0
    return counter_hi(r, name) + 0 < counter_lo(q, name) + 0 || counter_hi(q, name) + 0 < counter_lo(r, name) + 0
}

# Context switches and migrations per repetition where the threads outnumber the cores,
# against the core count (counter_workload's sweeps): per backend, its largest thread
# count against the largest count not above the cores, each with its interval; "more"
# or "fewer" only beyond the noise.
function counter_finding(g,   ser, i, n, rows, j, hi, lo, s, k, name, what, x, a, b) {
    if (!counter_workload(gworkload(g)) || cores <= 0) return
    main_series(g, ser)
    for (i = 1; i <= ser[0]; i++) {
        n = series_rows(g, ser[i], rows)
        hi = 0; lo = 0
        for (j = 1; j <= n; j++) {
            if (S[rows[j], "threads"] + 0 <= cores) lo = rows[j]
            else hi = rows[j]
        }
        if (!hi || !lo || !finding_row(hi) || !finding_row(lo)) continue
        s = ""
        for (k = 1; k <= 2; k++) {
            name = (k == 1) ? "ctx_switches" : "migrations"
            what = (k == 1) ? "context switches" : "migrations"
            a = metric(S[hi, "metrics"], name); b = metric(S[lo, "metrics"], name)
            if (!is_num(a) || !is_num(b)) continue
            x = (b + 0 > 0) ? sprintf("%.3gx as many, ", a / b) : ""
            s = s (s == "" ? "" : "; ") sprintf("%s %s per repetition%s against %s%s at %s (%s)", count(a), what, \
                count_interval(hi, name), count(b), count_interval(lo, name), thr(S[lo, "threads"]), \
                counter_apart(hi, lo, name) ? x "beyond the noise" : \
                (counter_lo(hi, name) == "" || counter_lo(lo, name) == "") ? "no interval of the median: not compared" : \
                "no difference beyond the noise")
        }
        if (s == "") continue
        s = sprintf("%s: %s at %s on %s: %s.", gname(g), ser[i], thr(S[hi, "threads"]), plural(cores, "core"), s)
        print gworkload(g), s
        a = metric(S[hi, "metrics"], "ctx_switches"); b = metric(S[lo, "metrics"], "ctx_switches")
        if (is_num(a) && is_num(b) && counter_lo(hi, "ctx_switches") != "" && counter_lo(lo, "ctx_switches") != "")
            verdict(gname(g) ": context switches of " family(ser[i]) " past the cores", \
                !counter_apart(hi, lo, "ctx_switches") ? "no difference beyond the noise" : \
                (a + 0 > b + 0) ? "more beyond the noise" : "fewer beyond the noise", s)
    }
}

function noise_and_failures(   r, n, k, d) {
    n = 0
    for (r = 1; r <= nrows; r++)
        if (ok_row(r) && S[r, "noisy"] == 1) {
            print "noisy", sprintf("Noisy (cv %.1f%% > 5%%): %s.", 100 * S[r, "cv"], config_name(r))
            n++
        }
    if (n == 0) print "noisy", "No configuration was noisy: every coefficient of variation is at most 5%."
    n = 0
    for (r = 1; r <= nrows; r++)
        if (ok_row(r) && S[r, "short"] == 1) n++
    if (n > 0)
        print "short", sprintf("%s had %s (short in the medians tables): too short for the timer and the scheduler to resolve differences, so they make no finding.", \
            plural(n, "configuration"), short_rule())
    for (r = 1; r <= nrows; r++) {
        k = row_key(r)
        d = (S[r, "reps_disturbed"] ~ /^[0-9]+$/) ? S[r, "reps_disturbed"] + 0 : 0
        if (k in dist_reps && dist_reps[k] > d) d = dist_reps[k]
        if (S[r, "status"] == "disturbed" || d > 0)
            print "disturbed", sprintf("%s: %s, %s disturbed and excluded%s.", \
                (S[r, "status"] == "disturbed") ? "Disturbed, no finding (could not get its clean repetitions)" : "Disturbed repetitions", \
                config_name(r), plural(d, "repetition"), \
                (k in dist_reps) ? sprintf(" (in %s, other work used %s s of CPU and the hypervisor stole %s s)", \
                    (d == 1) ? "it" : "them", secs(dist_foreign[k]), secs(dist_steal[k])) : "")
    }
    for (r = 1; r <= nrows; r++) {
        if (S[r, "status"] == "ok" || S[r, "status"] == "disturbed") continue
        if (S[r, "status"] == "missing") {
            print "failed", sprintf("Missing (never ran): %s.", config_name(r))
            continue
        }
        k = row_key(r)
        print "failed", sprintf("Failed (%s, verified=%s): %s.%s", S[r, "status"], S[r, "verified"], config_name(r), \
            (k in fail_error) ? " Error: " fail_error[k] : "")
    }
}

# ---- The Python section: bench-python's backends beside the C builds ----

# The updates each clean repetition of a Python contention configuration observed, for
# "in 5 of 5 repetitions": rep_obs[configuration] is a list of them.
function python_rep(   o) {
    if (get("backend") !~ /^python-/ || get("workload") != "contention" || get("disturbed") == 1) return
    o = metric(get("metrics"), "observed")
    if (is_num(o)) rep_obs[config_key()] = rep_obs[config_key()] " " o
}

function python_findings(   u, w) {
    python_units()
    for (u = 1; u <= nunits; u++) {
        w = gworkload(ulist[u])
        if (w != "contention" && w != "noop") python_scaling(u)
    }
    python_contention()
    python_noop()
}

# Every series of unit u at one thread count: its speedup over its own language's loop
# (faster or slower than the loop only beyond the noise), its median with the interval
# and, for memory, its bandwidth. The count is the one the most series may speak at
# (finding_rows); of those, the smallest where the ideal speedup is largest: the cores
# for CPU-bound work, the tasks or the largest count tested for waiting work. Then,
# for each Python group that runs the C builds' own work, its times against the pool's.
function python_scaling(u,   n, sg, ss, sl, i, j, m, rows, at, cnt, isp, t, T, ok, items, gaps, k, r) {
    n = unit_series(u, sg, ss, sl)
    gaps = ""
    for (i = 1; i <= n; i++) {
        m = finding_rows(sg[i], ss[i], rows)
        if (m == 0) { if (finding_gap != "") gaps = gaps (gaps == "" ? "" : ", ") py_words(sl[i]) " " finding_gap; continue }
        ok[i] = 1
        for (j = 1; j <= m; j++) {
            t = S[rows[j], "threads"] + 0
            at[i, t] = rows[j]; cnt[t]++; isp[t] = S[rows[j], "ideal_speedup"] + 0
        }
    }
    T = ""
    for (t in cnt)
        if (T == "" || cnt[t] > cnt[T] || (cnt[t] == cnt[T] && (isp[t] > isp[T] || (isp[t] == isp[T] && t + 0 < T + 0)))) T = t
    if (T == "") {
        print "python", sprintf("%s: no finding (%s).", gname(ulist[u]), gaps != "" ? gaps : "nothing measured")
        return
    }
    items = ""; k = 0
    # Python's series first: they are what this section is about.
    for (j = 1; j <= 2; j++)
        for (i = 1; i <= n; i++) {
            if (!(i in ok) || (j == 1) != (sg[i] != unit_c[u])) continue
            if (!((i, T) in at)) { gaps = gaps (gaps == "" ? "" : ", ") py_words(sl[i]) " not run at " thr(T); continue }
            items = items (k++ ? "; " : "") python_speedup_item(at[i, T], sl[i], seq_row(sg[i]))
        }
    print "python", sprintf("%s at %s, speedup over each language's own sequential loop: %s.%s", gname(ulist[u]), thr(T), \
        items, gaps != "" ? " Not stated: " gaps "." : "")
    for (k = 1; k <= unit_npy[u]; k++)
        if (py_exact[unit_py[u, k]]) python_same_work(u, unit_py[u, k], T)
}

# "python-threads, kernel=python 0.97x (0.8766 s [0.8701 to 0.8843]), no different from
# python-seq beyond the noise": a series' speedup at one count, against its loop (row ref).
function python_speedup_item(r, label, ref,   s, loop) {
    s = py_words(label) " " (is_num(S[r, "speedup"]) ? sprintf("%.2fx ", S[r, "speedup"]) : "") "(" with_interval(r)
    if (metric(S[r, "metrics"], "gb_s") != "") s = s ", " metric(S[r, "metrics"], "gb_s") " GB/s"
    s = s ")"
    if (!ref || !finding_row(ref)) return s
    loop = S[ref, "backend"]
    if (!apart(r, ref)) return s ", no different from " loop " beyond the noise"
    return s ", " (S[r, "median_s"] + 0 < S[ref, "median_s"] + 0 ? "faster" : "slower") " than " loop " beyond the noise"
}

# Python group pg runs the C builds' own work (py_exact): each of its series at thread
# count T against the pool's median there (the first C series when there is no pool),
# and its loop against seq; "as long" only where the intervals are apart.
function python_same_work(u, pg, T,   g, ser, i, pool, r, rows, n, s, k, extra, q) {
    g = unit_c[u]
    main_series(g, ser)
    pool = 0
    for (i = 1; i <= ser[0]; i++) {
        n = finding_rows(g, ser[i], rows)
        for (k = 1; k <= n; k++)
            if (S[rows[k], "threads"] + 0 == T + 0 && (!pool || ser[i] ~ /^pthread/)) pool = rows[k]
    }
    extra = py_series_label("", pg, g)
    sub(/^\|/, "", extra)
    s = ""
    if (pool) {
        python_series(pg, ser)
        for (i = 1; i <= ser[0]; i++) {
            n = finding_rows(pg, ser[i], rows)
            for (k = 1; k <= n; k++)
                if (S[rows[k], "threads"] + 0 == T + 0)
                    s = s (s == "" ? "" : "; ") python_against(rows[k], pool, py_series_label(S[rows[k], "backend"], pg, g))
        }
        if (s != "")
            s = sprintf("against %s at %s, %s: %s", series_name(S[pool, "backend"], S[pool, "runtime"]), thr(T), \
                with_interval(pool), s)
    }
    r = seq_row(pg); q = seq_row(g)
    if (r && q && finding_row(r) && finding_row(q))
        s = s (s == "" ? "" : ". ") sprintf("The loops: %s %s against seq %s, %s", py_words(py_series_label("python-seq", pg, g)), \
            with_interval(r), with_interval(q), apart(r, q) ? as_long(S[r, "median_s"] / S[q, "median_s"]) ", beyond the noise" : \
            "no difference beyond the noise")
    if (s != "")
        print "python", sprintf("%s, the same work as the C builds%s, %s.", gname(ulist[u]), extra != "" ? " (" py_words(extra) ")" : "", s)
}

# "python-threads, kernel=c 1.01x as long (0.1612 s [0.16 to 0.162]), no difference
# beyond the noise": row r's median against row q's.
function python_against(r, q, label) {
    return sprintf("%s %s (%s), %s", py_words(label), as_long(S[r, "median_s"] / S[q, "median_s"]), with_interval(r), \
        apart(r, q) ? "beyond the noise" : "no difference beyond the noise")
}

# "1.03x as long"; a ratio within 1% of 1 keeps a third decimal ("1.003x as long"), so
# that a difference beyond the noise does not read as none.
function as_long(x) {
    return sprintf((x > 0.99 && x < 1.01) ? "%.3fx as long" : "%.2fx as long", x)
}

# The lost update, per Python contention configuration set and Python executor at its
# largest thread count: the updates each mode ended with, in how many of the clean
# repetitions, and what the lock cost against racy (beyond the noise only).
function python_contention(   i, pg, r, s, ser, t, key, racy, lock, m, list, e, kp, keyof) {
    for (i = 1; i <= npgroups; i++) {
        pg = pglist[i]
        if (gworkload(pg) != "contention") continue
        for (r = 1; r <= nrows; r++) {
            if (group_of(r) != pg || !ok_row(r) || S[r, "bind"] != "none" || seq_backend(S[r, "backend"])) continue
            ser = S[r, "backend"]
            key = without_mode(pg) SUBSEP ser
            if (!(key in t) || S[r, "threads"] + 0 > t[key]) t[key] = S[r, "threads"] + 0
        }
    }
    # By parameter set, then threads before processes.
    for (key in t) {
        split(key, kp, SUBSEP)
        list[++m] = kp[1] SUBSEP kp[2] SUBSEP kp[3] SUBSEP py_order(kp[4]) SUBSEP kp[4]
        keyof[list[m]] = key
    }
    sort_str(list, m)
    for (i = 1; i <= m; i++) list[i] = keyof[list[i]]
    for (i = 1; i <= m; i++) {
        key = list[i]
        s = ""; racy = 0; lock = 0
        for (r = 1; r <= nrows; r++) {
            if (!python_row(r) || S[r, "workload"] != "contention" || !ok_row(r) || S[r, "bind"] != "none" || \
                without_mode(group_of(r)) SUBSEP S[r, "backend"] != key || S[r, "threads"] + 0 != t[key]) continue
            e = expected_updates(r)
            if (e <= 0 || !is_num(metric(S[r, "metrics"], "observed"))) continue
            s = s (s == "" ? "" : "; ") metric(S[r, "params"], "mode") " " python_observed(r, e)
            if (metric(S[r, "params"], "mode") == "racy") racy = r
            if (metric(S[r, "params"], "mode") == "mutex") lock = r
        }
        if (s == "") continue
        if (racy && lock && S[racy, "short"] != 1 && S[lock, "short"] != 1)
            s = s sprintf(". The lock (mutex) takes %s against racy's %s, %s", with_interval(lock), with_interval(racy), \
                apart(lock, racy) ? sprintf("%.2fx as long, beyond the noise", S[lock, "median_s"] / S[racy, "median_s"]) : \
                "no difference beyond the noise")
        split(key, kp, SUBSEP)
        print "python", sprintf("contention (%s): %s at %s: %s.", without_mode_words(key), kp[4], thr(t[key]), s)
    }
}

# A Python contention group with its mode left out, as a key: workload, params, tasks.
function without_mode(g,   p) {
    split(g, p, SUBSEP)
    return p[1] SUBSEP without_param(p[2], "mode") SUBSEP p[3]
}
function without_mode_words(key,   p, s) {
    split(key, p, SUBSEP)
    s = p[2]
    gsub(/;/, " ", s)
    return (s != "" ? s ", " : "") plural(p[3], "task")
}

# "ended at 1 of 2 updates in 5 of 5 repetitions (1 lost, 50.0%)": row r's median
# observed count, and in how many clean repetitions it was exactly that.
function python_observed(r, e,   o, n, v, i, k, lo, hi, s) {
    o = metric(S[r, "metrics"], "observed") + 0
    n = split(rep_obs[row_key(r)], v, " ")
    k = 0; lo = ""; hi = ""
    for (i = 1; i <= n; i++) {
        if (v[i] + 0 == o) k++
        if (lo == "" || v[i] + 0 < lo) lo = v[i] + 0
        if (hi == "" || v[i] + 0 > hi) hi = v[i] + 0
    }
    s = (o == int(o)) ? sprintf("ended at %s of %s updates", count(o), count(e)) : \
        sprintf("ended at a median of %s of %s updates", count(o), count(e))
    if (n > 0) s = s (k > 0 ? sprintf(" in %d of %s", k, plural(n, "repetition")) : sprintf(" (from %s to %s over %s)", count(lo), count(hi), plural(n, "repetition")))
    return s ((e - o > 0) ? sprintf(" (%s lost, %.1f%%)", count(e - o), 100 * (e - o) / e) : " (none lost)")
}

# What the executors charge per task or fork-join, per Python noop parameter set, at the
# largest thread count its Python series ran, beside the series of the C group matched to
# it at that count; each Python series against the pool where the intervals are apart.
function python_noop(   i, pg, g, r, maxt, s, c, pool, cmp, x, unit, ser, k, py, npy) {
    for (i = 1; i <= npgroups; i++) {
        pg = pglist[i]
        if (gworkload(pg) != "noop") continue
        maxt = 0
        for (r = 1; r <= nrows; r++)
            if (is_main(r, pg) && !seq_backend(S[r, "backend"]) && overhead_metric(r) != "" && S[r, "threads"] + 0 > maxt)
                maxt = S[r, "threads"] + 0
        if (maxt == 0) continue
        g = py_match[pg]
        s = ""; c = ""; pool = 0; cmp = ""; npy = 0
        python_series(pg, ser)
        for (k = 1; k <= ser[0]; k++)
            for (r = 1; r <= nrows; r++)
                if (is_main(r, pg) && S[r, "threads"] + 0 == maxt && series_name(S[r, "backend"], S[r, "runtime"]) == ser[k] && \
                    overhead_metric(r) != "") {
                    s = s (s == "" ? "" : ", ") S[r, "backend"] " " ov_text(r)
                    unit = overhead_unit(overhead_metric(r))
                    py[++npy] = r
                }
        for (r = 1; r <= nrows; r++) {
            if (S[r, "threads"] + 0 != maxt || seq_backend(S[r, "backend"]) || overhead_metric(r) == "") continue
            if (g != "" && is_main(r, g)) {
                c = c (c == "" ? "" : ", ") series_name(S[r, "backend"], S[r, "runtime"]) " " ov_text(r)
                if (S[r, "backend"] == "pthread") pool = r
            }
        }
        if (s == "") continue
        if (pool)
            for (k = 1; k <= npy; k++) {
                r = py[k]
                if (!ov_apart(r, pool)) cmp = cmp sprintf(" %s and the pool: no difference beyond the noise.", S[r, "backend"])
                else if (ov_value(pool) > 0) {
                    x = ov_value(r) / ov_value(pool)
                    cmp = cmp sprintf(" %s / the pool = %s, beyond the noise.", S[r, "backend"], x >= 10 ? sprintf("%.0f", x) : sprintf("%.2f", x))
                }
            }
        print "python", sprintf("%s: overhead %s at %s: %s%s.%s", gname(pg), unit, thr(maxt), s, \
            c != "" ? "; the C builds (" gparams_words(g) "): " c : "", cmp)
    }
}

function gparams_words(g,   s) {
    s = gparams(g)
    gsub(/;/, " ", s)
    return s
}
