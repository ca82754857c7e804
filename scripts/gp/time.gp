# Median time against threads with 95% intervals, the sequential time flat, the ideal
# model dashed and the core count marked.
# Args: data out title seq_median_s cores "series ..." any_noisy
load "style.gp"
data = ARG1; out = ARG2; seq = ARG4; cores = int(ARG5); series = ARG6; noisy = int(ARG7)
n = words(series)
set output out.".svg"
set title ARG3." - time against threads"
set xlabel "threads"
set ylabel "median wall time (s, log scale)"
set logscale x 2
set logscale y 10
set format y "%g"
set offsets graph 0.04, graph 0.04, 0, 0
load "marks.gp"
seqline = (seq ne "-") ? 'real(seq) with lines lw 1.5 lc rgb "#555555" title "seq (1 thread)",' : ''
# Without a sequential run there is no ideal model to draw.
ideal = (seq ne "-") ? 'data index n using 1:2 with lines lw 2 lc rgb "#000000" dt 2 title "ideal",' : ''
plot for [i=1:n] data index (i-1) using 1:2:3:4 with yerrorlines lw 2 \
        lc rgb backend_color(word(series, i)) pt series_point(word(series, i)) title word(series, i), \
     @seqline \
     @ideal \
     for [i=1:n] data index (i-1) using 1:($7 == 1 ? $2 : NaN) with points pt 6 ps 2.6 lw 2 \
        lc rgb "#ff7f0e" title (noisy && i == 1 ? noisy_title : "")
load "png.gp"
