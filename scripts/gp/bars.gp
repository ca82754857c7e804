# Bars side by side: one cluster per row of the data file (first column), one bar per
# backend column; used for the cost per update and the overhead per construct.
# Args: data out title "series ..." ylabel xlabel logy(0|1) [ymin]
# logy is 0 when a value is at or below zero, which a log axis cannot show: the axis is
# then linear with a line at zero, from ymin when it is given (0 for a share), else from
# the lowest value.
load "style.gp"
data = ARG1; out = ARG2; series = ARG4; ns = words(series)
set output out.".svg"
set title ARG3
set ylabel ARG5.(int(ARG7) ? " (log scale)" : "")
set xlabel ARG6
set style data histograms
set style histogram clustered gap 1
set boxwidth 0.9
if (int(ARG7)) {
    set logscale y 10; set format y "%g"
    # All values alike (one bar, often) leave autoscale an empty range, which gnuplot
    # warns about: give it a decade around them instead.
    lo = 1e300; hi = -1e300
    do for [i=2:ns+1] {
        undefine STATS_*
        stats data using i nooutput
        if (exists("STATS_min")) {
            lo = (STATS_min < lo) ? STATS_min : lo; hi = (STATS_max > hi) ? STATS_max : hi
        }
    }
    if (lo > 0 && hi <= lo * 1.0001) { set yrange [lo / sqrt(10):hi * sqrt(10)] }
} else {
    if (ARGC >= 8) { set yrange [real(ARG8):*] } else { set yrange [*:*] }
    set arrow 2 from graph 0, first 0 to graph 1, first 0 nohead lc rgb "#555555" lw 1.5 front
}
set grid noxtics ytics
set xtics font ",13"
plot for [i=2:ns+1] data using i:xtic(1) title columnheader(i) lc rgb backend_color(word(series, i - 1))
load "png.gp"
