# Prints the columns named in -v cols (comma-separated) of every row after a CSV's
# header, tab-separated, so that scripts read results.csv, summary.csv or failed.csv by
# column name rather than by position. A name that is not a column is looked up in the
# row's metrics; a value that is absent prints as "-".

BEGIN { FS = ","; ncols = split(cols, want, ",") }
FNR == 1 { read_header(); next }
{
    line = ""
    for (i = 1; i <= ncols; i++) {
        v = (want[i] in col) ? $(col[want[i]]) : metric(get("metrics"), want[i])
        line = line (i > 1 ? "\t" : "") (v == "" ? "-" : v)
    }
    print line
}
