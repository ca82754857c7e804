# scripts/tune's recommendation from a summary.csv: picks the static, unpinned rows of
# one workload on one build (pthread, or omp by OpenMP runtime: libgomp for "omp",
# libomp for "omp-libomp") carrying every -p given, and applies the thread rule
# (thread_rule in summary.awk, the same rule the report uses). Prints the table, the
# reason and the `export OMP_NUM_THREADS=N` line; a summary that holds several
# configurations, or none, is said on stderr (exit 2 or 1).
# Needs -v workload= build= want= (NAME=VALUE;...) cores= pus= rounds= bound= load= prog=

BEGIN { FS = ","; np = split(want, wanted, ";") }
FNR == 1 { read_header(); next }
{ load_summary_row() }

# The build a row comes from, as --backend names it.
function build_of(r) {
    if (S[r, "backend"] != "omp") return S[r, "backend"]
    return (S[r, "runtime"] ~ /^libomp/) ? "omp-libomp" : "omp"
}

# A configuration given up as disturbed still has the statistics of its disturbed
# repetitions; tune shows and uses them, marked (a sweep on a busy machine has nothing
# better), where the report makes no finding from them.
function selected(r,   i) {
    if (!(ok_row(r) || S[r, "status"] == "disturbed" && S[r, "median_s"] != "-")) return 0
    if (S[r, "workload"] != workload || build_of(r) != build) return 0
    if (S[r, "schedule"] != "static" || S[r, "bind"] != "none") return 0
    for (i = 1; i <= np; i++) if (index(";" S[r, "params"] ";", ";" wanted[i] ";") == 0) return 0
    return 1
}

function fail(status, msg) {
    print prog ": " msg > "/dev/stderr"
    failed = status
    exit status
}

END {
    if (failed) exit failed
    n = 0; fam[0] = 0
    for (r = 1; r <= nrows; r++)
        if (selected(r)) {
            rows[++n] = r
            add_unique(fam, S[r, "runtime"] " " S[r, "params"] " " S[r, "tasks"])
        }
    if (fam[0] > 1) {
        list = fam[1]
        for (i = 2; i <= fam[0]; i++) list = list ", " fam[i]
        fail(2, "--summary: " file " holds several configurations of " workload " on " build \
             " (runtime params tasks: " list "); choose one with -p")
    }
    if (n == 0)
        fail(1, file " has no ok, static, unpinned row of " workload " on " build (want != "" ? " with " want : ""))
    sort_by_threads(rows, n)
    for (j = 2; j <= n; j++)
        if (S[rows[j], "threads"] == S[rows[j - 1], "threads"])
            fail(2, "--summary: " file " has several configurations of " workload " on " build " at " \
                 S[rows[j], "threads"] " threads (other parameters, tasks or runtimes); choose one with -p")
    thread_rule(rows, n)
    b = rows[rule_best]; p = rows[rule_pick]; one = rows[1]
    short = 0; unverified = 0; disturbed = 0
    for (j = 1; j <= n; j++) {
        if (S[rows[j], "short"] == 1) short++
        if (S[rows[j], "status"] == "disturbed") disturbed++
        if (S[rows[j], "verified"] != 1) unverified++
    }
    printf "# %s on %s (%s), %s, %s, median of %s%s; this machine: %s, %s\n", workload, build, S[p, "runtime"], \
        plural(S[p, "tasks"], "task"), S[p, "params"], plural(S[p, "reps"], "repetition"), \
        (rounds > 1 ? " over " rounds " rounds" : ""), plural(cores, "core"), plural(pus, "PU")
    printf "# %8s %12s %23s %10s\n", "threads", "median_s", "interval of the median", "speedup"
    for (j = 1; j <= n; j++) {
        r = rows[j]
        printf "# %8d %12.6f %10.6f to %9.6f %10.2f%s%s%s\n", S[r, "threads"], S[r, "median_s"], lo_of(r), hi_of(r), \
            S[one, "median_s"] / S[r, "median_s"], (S[r, "short"] == 1) ? "  short" : "", (S[r, "status"] == "disturbed") ? "  disturbed" : "", r == p ? "  <- recommended" : ""
    }
    printf "# why: %s is the smallest count whose interval of the median reaches within %d%% of the best's (%.6f s [%.6f to %.6f] at %s); ", \
        plural(S[p, "threads"], "thread"), 100 * (RULE_MARGIN - 1) + 0.5, S[b, "median_s"], lo_of(b), hi_of(b), \
        plural(S[b, "threads"], "thread")
    printf "its median is %.6f s (%+.1f%%), a speedup of %.2f over %s.\n", S[p, "median_s"], \
        100 * (S[p, "median_s"] / S[b, "median_s"] - 1), S[one, "median_s"] / S[p, "median_s"], plural(S[one, "threads"], "thread")
    t = S[p, "threads"] + 0
    if (t > pus && (bound == "CPU" || bound == "memory bandwidth"))
        printf "# warning: %s is bound by %s, yet more threads than the %s looked best: the machine was probably busy (load average %s); measure again when it is quiet.\n", workload, bound, plural(pus, "PU"), load
    else if (t > pus) printf "# threads beyond the %s keep paying off: %s spends its time waiting%s, not computing.\n", plural(pus, "PU"), workload, bound != "" ? " (bound by " bound ")" : ""
    else if (t >= cores) printf "# %s is limited by the %s: more threads than that only share them.\n", workload, plural(cores, "core")
    if (short) printf "# note: %d of these %s are short (%s): too short for the timer and the scheduler to resolve differences, and the report makes no finding from them; more work per task (-p) or more tasks (-n) gives a firmer answer.\n", short, plural(n, "median"), short_rule()
    if (disturbed) printf "# note: %s could not get clean repetitions (other work took too much CPU, so they are marked disturbed): their medians include that work; measure again when the machine is quiet.\n", plural(disturbed, "thread count")
    if (load != "unknown" && load + 0 > pus) printf "# note: the load average was %s on %s when the sweep ended; the figures include other work.\n", load, plural(pus, "PU")
    if (unverified) printf "# warning: %s did not verify their results\n", plural(unverified, "thread count")
    printf "export OMP_NUM_THREADS=%d\n", t
}
