# Median time against threads for each backend and schedule on one sweep.
# Args: data out title seq_median_s cores "backend|schedule ..." any_noisy
load "style.gp"
data = ARG1; out = ARG2; seq = ARG4; cores = int(ARG5); series = ARG6; noisy = int(ARG7)
n = words(series)
set output out.".svg"
set title ARG3
set xlabel "threads"
set ylabel "median wall time (s, log scale)"
set logscale x 2
set logscale y 10
set format y "%g"
set offsets graph 0.04, graph 0.04, 0, 0
set key maxrows 3
load "marks.gp"
seqline = (seq ne "-") ? 'real(seq) with lines lw 1.5 lc rgb "#555555" title "seq (1 thread)",' : ''
plot for [i=1:n] data index (i-1) using 1:2:3:4 with yerrorlines lw 2 \
        lc rgb backend_color(word(series, i)) dt sched_dash(word(series, i)) \
        pt sched_point(word(series, i)) title word(series, i), \
     @seqline \
     for [i=1:n] data index (i-1) using 1:($5 == 1 ? $2 : NaN) with points pt 6 ps 2.6 lw 2 \
        lc rgb "#ff7f0e" title (noisy && i == 1 ? noisy_title : "")
load "png.gp"
