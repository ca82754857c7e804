# A per-configuration metric against threads (overhead per region, bandwidth), one line
# per backend, the sequential value flat when there is one.
# Args: data out title seq_value cores "series ..." any_noisy ylabel ymin
# ymin is 0, or * when a value is below zero (then a line marks zero).
load "style.gp"
data = ARG1; out = ARG2; seq = ARG4; cores = int(ARG5); series = ARG6; noisy = int(ARG7)
n = words(series)
set output out.".svg"
set title ARG3
set xlabel "threads"
set ylabel ARG8
set logscale x 2
if (ARG9 eq "*") {
    set yrange [*:*]
    set arrow 2 from graph 0, first 0 to graph 1, first 0 nohead lc rgb "#555555" lw 1.5 front
} else { set yrange [0:*] }
set offsets graph 0.04, graph 0.04, graph 0.08, 0
load "marks.gp"
seqline = (seq ne "-") ? 'real(seq) with lines lw 1.5 lc rgb "#555555" title "seq (1 thread)",' : ''
plot for [i=1:n] data index (i-1) using 1:2 with linespoints lw 2 \
        lc rgb backend_color(word(series, i)) pt series_point(word(series, i)) title word(series, i), \
     @seqline \
     for [i=1:n] data index (i-1) using 1:($3 == 1 ? $2 : NaN) with points pt 6 ps 2.6 lw 2 \
        lc rgb "#ff7f0e" title (noisy && i == 1 ? noisy_title : "")
load "png.gp"
