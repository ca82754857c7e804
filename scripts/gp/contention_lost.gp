# Updates the racy mode lost, as a share of those expected, against threads.
# Args: data out title "series ..." cores
load "style.gp"
data = ARG1; out = ARG2; series = ARG4; cores = int(ARG5)
n = words(series)
set output out.".svg"
set title ARG3
set xlabel "threads"
set ylabel "lost updates (% of expected)"
set logscale x 2
set offsets graph 0.04, graph 0.04, graph 0.08, 0
load "marks.gp"
# When no update was lost anywhere, 0 to 1: gnuplot cannot scale an empty range.
stats data using 2 nooutput
if (STATS_max > 0) { set yrange [0:*] } else { set yrange [0:1] }
plot for [i=1:n] data index (i-1) using 1:2 with linespoints lw 2 \
        lc rgb backend_color(word(series, i)) pt series_point(word(series, i)) title word(series, i)
load "png.gp"
