# Bars side by side: one cluster per row of the data file (first column), one bar per
# backend column; used for the cost per update and the overhead per construct.
# Args: data out title "series ..." ylabel xlabel logy(0|1)
load "style.gp"
data = ARG1; out = ARG2; series = ARG4; ns = words(series)
set output out.".svg"
set title ARG3
set ylabel ARG5
set xlabel ARG6
set style data histograms
set style histogram clustered gap 1
set boxwidth 0.9
if (int(ARG7)) { set logscale y 10; set format y "%g" } else { set yrange [0:*] }
set grid noxtics ytics
set xtics font ",13"
plot for [i=2:ns+1] data using i:xtic(1) title columnheader(i) lc rgb backend_color(word(series, i - 1))
load "png.gp"
