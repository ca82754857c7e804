# The best speedup of every workload and backend side by side (at the lowest median the
# thread rule finds, its thread count on the bar), with the core count as a line: what
# scales past the cores and what stops at them.
# Args: data out title "series ..." ngroups cores
# Data: a label, then per series two columns: speedup and the thread count it is at.
load "style.gp"
data = ARG1; out = ARG2; series = ARG4; ns = words(series); ng = int(ARG5); cores = int(ARG6)
set terminal svg size svg_w, 620 noenhanced font "DejaVu Sans,15"
set output out.".svg"
set title ARG3." (label: workload parameters; on each bar: its thread count)"
set ylabel "speedup over seq (x, log scale)"
set style data histograms
set style histogram clustered gap 1
set boxwidth 0.9
set xtics rotate by -30 left nomirror font ",12"
# Log scale: speedups run from below 1 (contention) to far past the cores (waiting).
set logscale y 10
set format y "%g"
set grid noxtics ytics
set bmargin 9
set rmargin 15
if (cores > 0) {
    set arrow 1 from graph 0, first cores to graph 1, first cores nohead lc rgb "#7f7f7f" lw 1.5 dt 3 front
    # In the right margin, where no bar's thread count can sit under it.
    set label 1 (cores == 1 ? "1 core" : sprintf("%d cores", cores)) at graph 1, first cores left offset 0.5,0 textcolor rgb "#555555" front
}
# A clustered histogram puts the bars of row k around x = k, each 1/(ns + gap) wide.
# The first line of the data names the columns.
set datafile columnheaders
barx(k, i) = k + (i - (ns + 1) / 2.0) / (ns + 1.0)
set xrange [-0.6:ng - 0.4]
plot for [i=1:ns] data using 2*i:xtic(1) title word(series, i) lc rgb backend_color(word(series, i)), \
     for [i=1:ns] data using (barx($0, i)):(column(2*i)):(stringcolumn(2*i+1)) with labels \
        offset 0,0.6 font ",10" textcolor rgb "#333333" notitle
png_h = 827
load "png.gp"
