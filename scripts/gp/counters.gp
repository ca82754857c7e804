# Context switches (top) and migrations (bottom) per repetition against threads, one line
# per backend with the interval of the median as error bars, the sequential run as a
# dotted flat line, the core count marked: where threads outnumber the cores, the kernel
# starts switching them. Drawn twice (SVG, then PNG): replot cannot redraw a multiplot.
# Args: data out title "series ..." seq_ctx seq_migrations logy_ctx logy_migrations cores
# A panel's axis is logarithmic (1) only when every value it shows is above zero, else
# linear from zero (0), or from 0 to 1 when every value is zero (2).
load "style.gp"
data = ARG1; out = ARG2; series = ARG4; n = words(series); cores = int(ARG9)
seq_ctx = ARG5; seq_mig = ARG6; log_ctx = int(ARG7); log_mig = int(ARG8)
h = 900
set logscale x 2
set xlabel "threads"
set lmargin 13
set rmargin 4
set offsets graph 0.04, graph 0.04, graph 0.08, 0
load "marks.gp"

# The plot of one panel: the medians in column col, their interval in the next two.
# (The bars first, so that the points are drawn over them.)
panel(col) = sprintf('plot for [i=1:n] data index (i-1) using 1:%d:%d:%d with yerrorbars lw 1.5 ps 0 lc rgb backend_color(word(series, i)) notitle, for [i=1:n] data index (i-1) using 1:%d with linespoints lw 2 lc rgb backend_color(word(series, i)) pt series_point(word(series, i)) title word(series, i)', col, col + 1, col + 2, col)
# A dotted line at the sequential run's value, when it has one.
seqline(v) = (v ne "-") ? sprintf('set arrow 3 from graph 0, first %s to graph 1, first %s nohead lc rgb "#555555" lw 1.5 dt 3 front', v, v) : 'unset arrow 3'
yaxis(logy) = (logy == 1) ? 'set logscale y 10; set format y "%g"; set yrange [*:*]' : \
               'unset logscale y; set format y "%g"; set yrange [0:'.(logy == 2 ? '1' : '*').']'

do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size svg_w, h noenhanced font "DejaVu Sans,15" background "#ffffff"
    } else {
        set terminal pngcairo size png_w, int(h * 4 / 3) noenhanced font "DejaVu Sans,15" background "#ffffff"
    }
    set output out.".".fmt
    set multiplot title ARG3.(seq_ctx ne "-" || seq_mig ne "-" ? " (dotted: seq)" : "") font ",17"
    # top: context switches; the legend is under the bottom panel
    set size 1, 0.44; set origin 0, 0.50
    set bmargin 3
    set key off
    set ylabel "context switches per repetition".(log_ctx == 1 ? " (log)" : "")
    eval yaxis(log_ctx)
    eval seqline(seq_ctx)
    eval panel(2)
    # bottom: migrations
    set size 1, 0.50; set origin 0, 0
    set bmargin 7
    set key outside below horizontal center box opaque samplen 2.5 spacing 1.1 maxrows 4
    set ylabel "migrations per repetition".(log_mig == 1 ? " (log)" : "")
    eval yaxis(log_mig)
    eval seqline(seq_mig)
    eval panel(5)
    unset multiplot
    unset output
}
