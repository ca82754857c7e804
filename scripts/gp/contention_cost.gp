# Cost of one update of a shared counter per synchronisation mode (log scale).
# Args: data out title "series ..." nmodes
load "style.gp"
data = ARG1; out = ARG2; series = ARG4; ns = words(series)
set output out.".svg"
set title ARG3
set ylabel "time per update (ns, log scale)"
set xlabel "synchronisation mode"
set style data histograms
set style histogram clustered gap 1
set boxwidth 0.9
set logscale y 10
set format y "%g"
set grid noxtics ytics
plot for [i=2:ns+1] data using i:xtic(1) title columnheader(i) lc rgb backend_color(word(series, i - 1))
load "png.gp"
