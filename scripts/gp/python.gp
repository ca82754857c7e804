# The Python section's plots: bench-python's backends beside the C builds on one
# workload, against threads: time (log scale, the interval of the median as error bars),
# speedup (each over its own language's sequential loop, the ideal dashed) or bandwidth
# (gb_s, log scale); the sequential loops flat and dotted (dash-dotted for kernel=c).
# Colour by backend, dashes for kernel=c.
# Args: data out title time|speedup|bandwidth cores "series ..." "loops ..."|- any_noisy
# Data: a block per series (threads value lo hi noisy), then a block per loop (two
# points, flat), or for speedup the ideal (threads speedup).
load "style.gp"
data = ARG1; out = ARG2; view = ARG4; cores = int(ARG5); series = ARG6; noisy = int(ARG8)
refs = (ARG7 eq "-") ? "" : ARG7
n = words(series); m = words(refs)
# Room for a legend of up to a dozen long names (kernel and work beside the backend).
svg_h = 680; png_h = 907
set terminal svg size svg_w, svg_h noenhanced font "DejaVu Sans,15" background "#ffffff"
set key font ",13" maxrows 6
set bmargin 10
set output out.".svg"
set title ARG3." - ".view." against threads"
set xlabel "threads"
set logscale x 2
if (view eq "speedup") {
    set ylabel "speedup over its own sequential loop (x)"
    set yrange [0:*]
    set offsets graph 0.04, graph 0.04, graph 0.08, 0
} else {
    set ylabel (view eq "time") ? "median wall time (s, log scale)" : "triad bandwidth (GB/s, log scale)"
    set logscale y 10
    set format y "%g"
    set offsets graph 0.04, graph 0.04, 0, 0
}
load "marks.gp"
loop_dash(s) = (kernel_dash(s) == 2) ? 4 : 3
errs = (view eq "time") ? 'using 1:2:3:4 with yerrorlines' : 'using 1:2 with linespoints'
# (No loops, no clause: gnuplot would still read one block of an empty for [j=1:0].)
loops = (view eq "speedup") ? \
    'data index n using 1:2 with lines lw 2 lc rgb "#000000" dt 2 title "ideal",' : (m == 0) ? '' : \
    'for [j=1:m] data index (n + j - 1) using 1:2 with lines lw 2 dt loop_dash(word(refs, j)) lc rgb backend_color(word(refs, j)) title legend(word(refs, j)),'
plot for [i=1:n] data index (i-1) @errs lw 2 lc rgb backend_color(word(series, i)) \
        dt kernel_dash(word(series, i)) pt series_point(word(series, i)) title legend(word(series, i)), \
     @loops \
     for [i=1:n] data index (i-1) using 1:($5 == 1 ? $2 : NaN) with points pt 6 ps 2.6 lw 2 \
        lc rgb "#ff7f0e" title (noisy && i == 1 ? noisy_title : "")
load "png.gp"
