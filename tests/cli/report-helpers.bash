# Checks shared by the report's tests: links, plot files, and the medians tables read
# back from report.md against summary.csv.
# shellcheck shell=bash

# Each test starts at the top of the tree with the crafted run and a report folder.
# shellcheck disable=SC2034 # fixture and rep are for the tests that load this file
setup() {
    cd "$BATS_TEST_DIRNAME/../.." || return 1
    fixture=tests/fixtures/crafted
    rep="$BATS_TEST_TMPDIR/report"
}

# A copy of the crafted run that a test may change; prints its folder.
crafted_copy() {
    cp -r "$fixture" "$BATS_TEST_TMPDIR/$1"
    echo "$BATS_TEST_TMPDIR/$1"
}

# Every local file index.html and report.md link to exists (data: URIs are inline).
check_links() {
    local dir=$1 link missing=0
    while read -r link; do
        [ -n "$link" ] || continue
        case $link in data:* | \#*) continue ;; esac
        if [ ! -e "$dir/$link" ]; then echo "missing: $link" >&2; missing=1; fi
    done < <(grep -oE '(href|src)="[^"]*"' "$dir/index.html" | sed -E 's/^(href|src)="//; s/"$//'
             grep -oE '\]\([^)]*\)' "$dir/report.md" | sed -E 's/^\]\(//; s/\)$//')
    return "$missing"
}

# Every SVG is well-formed XML; every PNG is a PNG of a readable size with content.
check_plots() {
    local dir=$1 f n=0 size
    for f in "$dir"/plots/*.svg; do
        xmllint --noout "$f" || { echo "bad svg: $f" >&2; return 1; }
        [ -f "${f%.svg}.png" ] || { echo "no png for $f" >&2; return 1; }
        n=$((n + 1))
    done
    for f in "$dir"/plots/*.png; do
        file "$f" | grep -qE 'PNG image data, ([0-9]{4}|[6-9][0-9]{2}) x [0-9]{3,4}' || { file "$f" >&2; return 1; }
        size=$(wc -c <"$f")
        # A blank 1280x747 canvas compresses to a few KB; a plot with axes and text does not.
        [ "$size" -gt 15000 ] || { echo "nearly empty png ($size bytes): $f" >&2; return 1; }
    done
    [ "$n" -gt 0 ]
}

# Reads every medians table of report.md and checks each number against summary.csv;
# prints the number of rows checked. Fails on any row it cannot find or any mismatch.
check_tables() {
    local dir=$1 summary=$2
    awk -F'|' '
    function near(shown, exact, rel) {
        if (shown == "-" || exact == "-") return shown == exact
        return (exact == 0) ? (shown + 0 == 0) : ((shown - exact) / exact <= rel && (exact - shown) / exact <= rel)
    }
    function trim(s) { gsub(/^ +| +$/, "", s); return s }
    FNR == 1 { file++ }
    file == 1 && FNR == 1 { for (i = 1; i <= NF; i++) { split($0, h, ","); } n = split($0, h, ","); for (i = 1; i <= n; i++) c[h[i]] = i; next }
    file == 1 {
        split($0, v, ",")
        series = (v[c["backend"]] == "seq") ? "seq" : v[c["backend"]] "/" v[c["runtime"]]
        k = v[c["workload"]] "|" series "|" v[c["threads"]] "|" v[c["tasks"]] "|" v[c["schedule"]] "|" v[c["bind"]] "|" v[c["params"]]
        if (k in row) { print "duplicate configuration in summary: " k; bad = 1 }
        row[k] = $0; total++
        next
    }
    /^## Workload: / { w = $0; sub(/^## Workload: /, "", w); intable = 0; next }
    /^## / { w = ""; intable = 0 }
    /^\| backend \| threads/ { intable = (w != ""); next }
    intable && /^\| ---/ { next }
    intable && /^\| / {
        p = trim($7); gsub(/ /, ";", p)
        k = w "|" trim($2) "|" trim($3) "|" trim($4) "|" trim($5) "|" trim($6) "|" p
        if (!(k in row)) { print "table row not in summary.csv: " k; bad = 1; next }
        if (k in done) { print "row twice in the tables: " k; bad = 1 }
        done[k] = 1; checked++
        split(row[k], v, ",")
        if (v[c["status"]] != "ok" && v[c["median_s"]] == "-") {
            if (trim($14) !~ /FAILED|MISSING|DISTURBED/) { print "row without figures not marked: " k; bad = 1 }
            next
        }
        if (v[c["status"]] == "disturbed" && trim($14) !~ /DISTURBED/) { print "disturbed row not marked: " k; bad = 1 }
        if ((v[c["short"]] == 1) != (trim($14) ~ /short/)) { print "short mark wrong: " k; bad = 1 }
        ci = trim($10); split(ci, civ, " ")
        cv = trim($11); sub(/%$/, "", cv)
        if (!near(trim($9), v[c["median_s"]], 6e-4) || !near(civ[1], v[c["ci_lo_s"]], 6e-4) || \
            !near(civ[3], v[c["ci_hi_s"]], 6e-4) || !near(trim($12), v[c["speedup"]], 6e-4) || \
            !near(trim($13), v[c["efficiency"]], 6e-4) || !near(cv / 100, v[c["cv"]], 6e-3) || \
            trim($8) != v[c["reps"]]) {
            print "mismatch: " $0 " against " row[k]; bad = 1
        }
        if ((v[c["noisy"]] == 1) != (trim($14) ~ /noisy/)) { print "noisy mark wrong: " k; bad = 1 }
    }
    intable && !/^\|/ { intable = 0 }
    END {
        if (checked != total) { print "tables show " checked " of " total " configurations"; bad = 1 }
        if (bad) exit 1
        print checked
    }' "$summary" "$dir/report.md"
}

# Copies summary.csv (or any CSV with a header) from $1 to $2 through an awk program
# that may name columns: c["median_s"] is the field number of median_s. Example:
#   csv_edit in.csv out.csv '$c["workload"] == "cpu" { $c["median_s"] = 1 }'
csv_edit() {
    awk -F, -v OFS=, "NR == 1 { for (i = 1; i <= NF; i++) c[\$i] = i; print; next } $3 { print }" "$1" >"$2"
}
