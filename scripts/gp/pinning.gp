# Median time under each pinning policy divided by the unpinned median at the same
# thread count (below 1: pinning helped), with the interval scaled the same way; colour
# by backend, dash by policy.
# Args: data out title "backend|bind=policy ..." "policy ..." cores any_noisy
load "style.gp"
data = ARG1; out = ARG2; series = ARG4; binds = ARG5; cores = int(ARG6); noisy = int(ARG7)
n = words(series)
policy_dash(s) = sum [k=1:words(binds)] (strstrt(s, "bind=".word(binds, k)) ? k + 1 : 0)
set output out.".svg"
set title ARG3
set xlabel "threads"
set ylabel "median time / unpinned median"
set logscale x 2
set offsets graph 0.04, graph 0.04, graph 0.08, graph 0.08
set key maxrows 4
load "marks.gp"
set arrow 2 from graph 0, first 1 to graph 1, first 1 nohead lc rgb "#555555" lw 1.5 front
plot for [i=1:n] data index (i-1) using 1:2:3:4 with yerrorlines lw 2 \
        lc rgb backend_color(word(series, i)) dt policy_dash(word(series, i)) \
        pt series_point(word(series, i)) title legend(word(series, i)), \
     for [i=1:n] data index (i-1) using 1:($5 == 1 ? $2 : NaN) with points pt 6 ps 2.6 lw 2 \
        lc rgb "#ff7f0e" title (noisy && i == 1 ? noisy_title : "")
load "png.gp"
