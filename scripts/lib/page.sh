# Writing a report page twice, as report.md and as index.html, the one place both
# reports (scripts/report for one run, scripts/report-machines for several) shape them:
# every function appends to the files named by $md and $html; figures read
# $work/plots/BASE.svg.
# shellcheck shell=bash
# shellcheck disable=SC2154 # md, html and work are set by the script that sources this file

esc() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }
h() { printf '%s' "$1" | esc; }

# Starts both files: the HTML head with the page's style, and the title as a heading.
page_start() {
    local title=$1
    cat >"$html" <<HTML
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$(h "$title")</title>
<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 1240px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.7em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
figure { margin: 1.5em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .9em; color: #555; }
table { border-collapse: collapse; font-size: .85em; margin: 1em 0; }
div.scroll { overflow-x: auto; }
table.medians { font-size: .8em; } table.medians td, table.medians th { white-space: nowrap; padding: .2em .35em; }
th, td { border: 1px solid #ccc; padding: .25em .5em; text-align: left; }
table.medians td:nth-child(2), table.medians td:nth-child(3), table.medians td:nth-child(n+7):not(:last-child) { text-align: right; }
tr.failed { background: #fdd; } tr.noisy { background: #fff3d6; }
table.answers td { vertical-align: top; } p.partial { background: #fdd; padding: .5em; }
ul.findings li { margin: .3em 0; }
pre { background: #f4f4f4; padding: .6em; overflow-x: auto; }
nav a { margin-right: 1em; }
</style></head><body>
<h1>$(h "$title")</h1>
HTML
    printf '# %s\n\n' "$title" >>"$md"
}

heading() {
    printf '\n## %s\n\n' "$2" >>"$md"
    printf '<h2 id="%s">%s</h2>\n' "$1" "$(h "$2")" >>"$html"
}

para() {
    printf '%s\n\n' "$1" >>"$md"
    printf '<p>%s</p>\n' "$(h "$1")" >>"$html"
}

# One plot: inlined in the page as a data URI (opens from disk, no network), linked to
# its SVG and PNG files; in report.md an image link.
figure() {
    local base=$1 title=$2
    printf '\n![%s](plots/%s.svg)\n\n[SVG](plots/%s.svg) | [PNG](plots/%s.png)\n' "$title" "$base" "$base" "$base" >>"$md"
    printf '<figure><a href="plots/%s.svg"><img alt="%s" src="data:image/svg+xml;base64,%s"></a>\n<figcaption>%s (<a href="plots/%s.svg">SVG</a>, <a href="plots/%s.png">PNG</a>)</figcaption></figure>\n' \
        "$base" "$(h "$title")" "$(base64 -w0 "$work/plots/$base.svg")" "$(h "$title")" "$base" "$base" >>"$html"
}

# The lines on stdin as a bulleted list (nothing in the page when there are none).
bullet_list() {
    local line any=0
    while IFS= read -r line; do
        [ $any -eq 0 ] && printf '<ul class="findings">\n' >>"$html"
        any=1
        printf -- '- %s\n' "$line" >>"$md"
        printf '<li>%s</li>\n' "$(h "$line")" >>"$html"
    done
    [ $any -eq 1 ] && printf '</ul>\n' >>"$html"
    printf '\n' >>"$md"
}

# A table of the TAB-separated rows on stdin under the column names given, the HTML
# table of class CLASS: tsv_table CLASS NAME...
tsv_table() {
    local cls=$1 name hdr="|" sep="|" th="" rows
    shift
    for name in "$@"; do hdr="$hdr $name |"; sep="$sep --- |"; th="$th<th>$(h "$name")</th>"; done
    rows=$(cat)
    printf '%s\n%s\n' "$hdr" "$sep" >>"$md"
    printf '<div class="scroll"><table class="%s"><thead><tr>%s</tr></thead><tbody>\n' "$cls" "$th" >>"$html"
    if [ -n "$rows" ]; then
        awk -F'\t' '{ line = "|"; for (i = 1; i <= NF; i++) line = line " " $i " |"; print line }' <<<"$rows" >>"$md"
        awk -F'\t' '{
            line = "<tr>"
            for (i = 1; i <= NF; i++) {
                v = $i; gsub(/&/, "\\&amp;", v); gsub(/</, "\\&lt;", v); gsub(/>/, "\\&gt;", v)
                line = line "<td>" v "</td>"
            }
            print line "</tr>" }' <<<"$rows" >>"$html"
    fi
    printf '</tbody></table></div>\n' >>"$html"
    printf '\n' >>"$md"
}
