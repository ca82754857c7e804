# The comparison of machines (scripts/report-machines): from what each machine's own
# report computes, the tables, the plot data and the findings that differ. Each input
# file starts with a header line naming its kind:
#   machine  one row per run: idx, run_id, host, cpu, packages, cores, pus, allowed,
#            caches, numa, memory, compiler, runtimes, kernel, suite, started, quiet,
#            slurm (the job, or "-")
#   found    idx TAB a line of that run's findings.awk output ("pick" and "verdict")
#   job      idx TAB a line of that run's plotdata.awk jobs ("scaling" only); the data
#            file named there is read from MDIR/idx/BASE.dat
# Writes the comparison plots' data into OUT and prints, TAB-separated and tagged by the
# first field: "machine" (the machine table, first row the header), "type" (one line
# per node type), "pick" (the recommended thread counts, first row the header),
# "differ" and "agree" (the findings that differ), "spread" (per type of several nodes,
# first row of each type the header), "plot" (kind, file base, title, then the lists
# the gnuplot file takes).
# Needs -v mdir=DIR -v out=DIR.

BEGIN { FS = "\t"; OFS = "\t"; NBSP = "\302\240"; split("A B C D E F G H I J K L M N O P Q R S T U V W X Y Z", LETTER, " ") }
FNR == 1 { kind = $1; next }
kind == "machine" {
    n = ++nm
    for (i = 1; i <= NF; i++) M[n, i] = $i
    idx[n] = $1; run[n] = $2; host[n] = $3; cpu[n] = $4; cores[n] = $6 + 0; pus[n] = $7
    pos[$1] = n
    next
}
kind == "found" && $2 == "pick" {
    m = pos[$1]; g = $3
    add_group(g)
    pk[m, g] = $4; pser[m, g] = $5; pmed[m, g] = $6
    if ($4 != "-") { bt[m, g] = $7; bmed[m, g] = $8; blo[m, g] = $9; bhi[m, g] = $10 }
    next
}
kind == "found" && $2 == "verdict" {
    m = pos[$1]; k = $3
    if (!(k in vseen)) { vseen[k] = 1; vkeys[++nv] = k }
    vval[m, k] = $4; vsen[m, k] = $5
    next
}
kind == "job" && $2 == "scaling" {
    # idx scaling section base title seq series noisy has_speedup
    m = pos[$1]; b = $4
    if ($6 == "-" || $9 != 1) next
    if (!(b in bseen)) { bseen[b] = 1; bases[++nb] = b; btitle[b] = $5 }
    has[m, b] = 1; bcount[b]++
    next
}

function add_group(g) {
    if (!(g in gseen)) { gseen[g] = 1; groups[++ng] = g }
}

END {
    name_machines()
    machine_table()
    recommended()
    differ()
    spread()
    for (i = 1; i <= nb; i++) if (bcount[bases[i]] >= 2) comparison(bases[i])
}

# Labels (the host, or the run id where two runs share a host), node types (same CPU
# model, cores and PUs, in the order the runs first show them), and the order: by type,
# then by label.
function name_machines(   m, q, t, key, k, j, x, line) {
    for (m = 1; m <= nm; m++) {
        label[m] = host[m]
        for (q = 1; q <= nm; q++) if (q != m && host[q] == host[m]) label[m] = run[m]
        for (q = 1; q < m; q++) if (label[q] == label[m]) label[m] = label[m] "#" m
        key = cpu[m] SUBSEP cores[m] SUBSEP pus[m]
        if (!(key in tkey)) { tkey[key] = ++nt; tname[nt] = cpu[m] ", " cores[m] " cores, " pus[m] " PUs" }
        type[m] = tkey[key]; tnodes[type[m]]++
    }
    for (m = 1; m <= nm; m++) order[m] = m
    for (k = 2; k <= nm; k++) {
        x = order[k]
        for (j = k - 1; j >= 1 && (type[order[j]] > type[x] || (type[order[j]] == type[x] && label[order[j]] > label[x])); j--)
            order[j + 1] = order[j]
        order[j + 1] = x
    }
    for (t = 1; t <= nt; t++) {
        line = ""
        for (k = 1; k <= nm; k++) if (type[order[k]] == t) line = line (line == "" ? "" : ", ") label[order[k]]
        print "type", sprintf("Type %s: %s (%s: %s).", LETTER[t], tname[t], plural(tnodes[t], "node"), line)
    }
}

function machine_table(   k, m, i, line, rows, cols) {
    line = ""
    for (k = 1; k <= nm; k++) line = line "\t" label[order[k]]
    print "machine", line
    nrow = split("3|2|4|5|6|7|9|10|11|12|13|14|15|16|17|18", cols, "|")
    split("host|run|CPU|packages|cores|PUs (allowed)|caches|NUMA nodes|memory|compiler|OpenMP runtimes|kernel|suite|started|interference|Slurm job", rows, "|")
    line = "node type"
    for (k = 1; k <= nm; k++) line = line "\t" LETTER[type[order[k]]]
    print "machine", line
    for (i = 1; i <= nrow; i++) {
        if (rows[i] == "Slurm job" && !any_job()) continue
        line = rows[i]
        for (k = 1; k <= nm; k++) {
            m = order[k]
            v = M[m, cols[i]]
            if (rows[i] == "PUs (allowed)") v = v " (" M[m, 8] ")"
            line = line "\t" (v == "" ? "-" : v)
        }
        print "machine", line
    }
}

# Whether any run was a Slurm job (else the table has no row for it).
function any_job(   m) {
    for (m = 1; m <= nm; m++) if (M[m, 18] != "-" && M[m, 18] != "") return 1
    return 0
}

# One column per node type: the thread rule's count (findings.awk's "pick"), for a type of
# several nodes the count and backend when they agree, else each node's.
function recommended(   t, k, m, gi, g, line, cell, first, same, list, one) {
    line = "workload and parameters"
    for (t = 1; t <= nt; t++) line = line "\t" type_head(t)
    print "pick", line
    for (gi = 1; gi <= ng; gi++) {
        g = groups[gi]
        line = g
        for (t = 1; t <= nt; t++) {
            first = ""; same = 1; list = ""
            for (k = 1; k <= nm; k++) {
                m = order[k]
                if (type[m] != t) continue
                cell = pick_key(m, g)
                if (first == "") { first = cell; one = m }
                else if (cell != first) same = 0
                list = list (list == "" ? "" : "; ") label[m] ": " pick_cell(m, g)
            }
            line = line "\t" ((tnodes[t] == 1) ? pick_cell(one, g) : \
                same ? pick_key(one, g) " on each of its " tnodes[t] " nodes (their medians: the spread below)" : "nodes differ: " list)
        }
        print "pick", line
    }
}

function type_head(t,   k) {
    if (tnodes[t] > 1) return "type " LETTER[t] " (" plural(tnodes[t], "node") ")"
    for (k = 1; k <= nm; k++) if (type[order[k]] == t) return label[order[k]] " (type " LETTER[t] ", " plural(cores[order[k]], "core") ")"
}

function pick_cell(m, g,   why) {
    if (!((m, g) in pk)) return "not run"
    if (pk[m, g] == "-") {
        why = pser[m, g]
        sub(/ \(.*$/, "", why)
        return "- (" why ")"
    }
    return "OMP_NUM_THREADS=" pk[m, g] " (" ratio(pk[m, g], cores[m]) " the cores; " pser[m, g] " " pmed[m, g] ")"
}

# A node's pick without its median: what nodes of one type must agree on.
function pick_key(m, g) {
    if (!((m, g) in pk)) return "not run"
    if (pk[m, g] == "-") return pick_cell(m, g)
    return "OMP_NUM_THREADS=" pk[m, g] " (" ratio(pk[m, g], cores[m]) " the cores; " pser[m, g] ")"
}

function ratio(t, c) {
    if (c <= 0) return "?"
    return ((t / c == int(t / c)) ? sprintf("%dx", t / c) : sprintf("%.2gx", t / c))
}

# Every conclusion two or more machines made with different outcomes, each machine's
# sentence beside it; then how many agree.
function differ(   i, k, m, n, first, same, line, s, agree) {
    agree = 0
    for (i = 1; i <= nv; i++) {
        k = vkeys[i]; n = 0; first = ""; same = 1
        for (m = 1; m <= nm; m++) {
            if (!((m, k) in vval)) continue
            n++
            if (n == 1) first = vval[m, k]
            else if (vval[m, k] != first) same = 0
        }
        if (n < 2) continue
        if (same) { agree++; continue }
        line = k ":"
        for (n = 1; n <= nm; n++) {
            m = order[n]
            if (!((m, k) in vval)) continue
            s = vsen[m, k]
            if (index(s, group_part(k)) == 1) s = substr(s, length(group_part(k)) + 1)
            sub(/^(: | )/, "", s)
            line = line " " label[m] " (type " LETTER[type[m]] "): " vval[m, k] " (" s ")" (n < nm ? ";" : ".")
        }
        sub(/;$/, ".", line)
        print "differ", line
    }
    print "agree", agree
}

# The group a verdict key names ("cpu (work=..., 64 tasks)"), the part before ": ".
function group_part(k) {
    return substr(k, 1, index(k, "): ") > 0 ? index(k, "): ") : length(k))
}

# For each node type of several nodes, the spread of the best median of every group
# between its nodes, and whether it is beyond the noise.
function spread(   t, gi, g, k, m, lo, hi, n, line, picks, fastest, slowest, same) {
    for (t = 1; t <= nt; t++) {
        if (tnodes[t] < 2) continue
        print "spread", "type " LETTER[t] ": " tname[t], "workload and parameters", "best median (fastest node)", \
            "best median (slowest node)", "spread", "beyond the noise", "thread rule's count"
        for (gi = 1; gi <= ng; gi++) {
            g = groups[gi]
            fastest = 0; slowest = 0; n = 0; picks = ""; same = 1
            for (k = 1; k <= nm; k++) {
                m = order[k]
                if (type[m] != t || !((m, g) in bmed)) continue
                n++
                if (!fastest || bmed[m, g] + 0 < bmed[fastest, g] + 0) fastest = m
                if (!slowest || bmed[m, g] + 0 >= bmed[slowest, g] + 0) slowest = m
                if (picks == "") picks = pk[m, g]
                else if (pk[m, g] != picks) same = 0
            }
            if (n < 2) continue
            if (!same) {
                picks = ""
                for (k = 1; k <= nm; k++) {
                    m = order[k]
                    if (type[m] == t && (m, g) in bmed) picks = picks (picks == "" ? "" : ", ") label[m] " " pk[m, g]
                }
            } else picks = "all " picks
            print "spread", "type " LETTER[t] ": " tname[t], g, \
                sprintf("%s: %s s [%s to %s]", label[fastest], secs(bmed[fastest, g]), secs(blo[fastest, g]), secs(bhi[fastest, g])), \
                sprintf("%s: %s s [%s to %s]", label[slowest], secs(bmed[slowest, g]), secs(blo[slowest, g]), secs(bhi[slowest, g])), \
                sprintf("%+.1f%%", 100 * (bmed[slowest, g] / bmed[fastest, g] - 1)), \
                (bhi[fastest, g] + 0 < blo[slowest, g] + 0) ? "yes: the intervals are apart" : "no: the intervals overlap", picks
        }
    }
}

# One data file for a group's speedup and efficiency on every machine: a block per
# machine and series (threads, speedup, efficiency, threads / cores), then a block per
# machine with its ideal speedup (threads, speedup); and the job line for
# scripts/report-machines: kind, base, title, then the legend titles ("-" for none: the
# second node of a type draws in its colour without a second entry), the colour (node
# type), the series, the core counts to mark, and the colour of each ideal block.
function comparison(b,   f, k, m, file, line, cur, n, i, p, titles, colours, series, corelist, ilist, lab, c, \
                     body, bm, bser, ideal, shown) {
    f = out "/" b "_machines.dat"
    titles = ""; colours = ""; series = ""; corelist = ""; ilist = ""; n = 0
    for (k = 1; k <= nm; k++) {
        m = order[k]
        if (!((m, b) in has)) continue
        file = mdir "/" idx[m] "/" b ".dat"
        cur = ""
        while ((getline line < file) > 0) {
            if (line ~ /^# /) {
                cur = substr(line, 3, index(line, ": ") - 3)
                if (cur != "ideal") { n++; bser[n] = cur; bm[n] = m; body[n] = "" }
                continue
            }
            if (line == "") continue
            split(line, p, "\t")
            if (cur == "ideal") ideal[m] = ideal[m] p[1] "\t" p[3] "\n"
            else body[n] = body[n] p[1] "\t" p[5] "\t" p[6] "\t" (p[1] / cores[m]) "\n"
        }
        close(file)
        if (index(" " corelist " ", " " cores[m] " ") == 0) corelist = corelist (corelist == "" ? "" : " ") cores[m]
    }
    for (i = 1; i <= n; i++) {
        m = bm[i]
        printf "# %s %s: threads speedup efficiency threads_per_core\n%s\n\n", label[m], bser[i], body[i] > f
        c = type[m] SUBSEP bser[i]
        lab = (tnodes[type[m]] > 1) ? "type " LETTER[type[m]] " (" plural(tnodes[type[m]], "node") ")" : label[m]
        # A title is one word of the list: its spaces are no-break spaces.
        lab = lab ": " bser[i]
        gsub(/ /, NBSP, lab)
        titles = titles (i > 1 ? " " : "") ((c in shown) ? "-" : lab)
        shown[c] = 1
        colours = colours (i > 1 ? " " : "") type[m]
        series = series (i > 1 ? " " : "") bser[i]
    }
    for (k = 1; k <= nm; k++) {
        m = order[k]
        if (!((m, b) in has)) continue
        printf "# %s ideal: threads speedup\n%s\n\n", label[m], ideal[m] > f
        ilist = ilist (ilist == "" ? "" : " ") type[m]
    }
    close(f)
    print "plot", b, btitle[b], titles, colours, series, corelist, ilist
}
