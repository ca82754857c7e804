# Speedup over the sequential median against threads, the ideal speedup dashed, cores marked.
# Args: data out title seq_median_s cores "series ..." any_noisy
load "style.gp"
data = ARG1; out = ARG2; cores = int(ARG5); series = ARG6; noisy = int(ARG7)
n = words(series)
set output out.".svg"
set title ARG3." - speedup against threads"
set xlabel "threads"
set ylabel "speedup over seq (x)"
set logscale x 2
set yrange [0:*]
set offsets graph 0.04, graph 0.04, graph 0.08, 0
load "marks.gp"
plot for [i=1:n] data index (i-1) using 1:5 with linespoints lw 2 \
        lc rgb backend_color(word(series, i)) pt series_point(word(series, i)) title word(series, i), \
     data index n using 1:3 with lines lw 2 lc rgb "#000000" dt 2 title "ideal", \
     for [i=1:n] data index (i-1) using 1:($7 == 1 ? $5 : NaN) with points pt 6 ps 2.6 lw 2 \
        lc rgb "#ff7f0e" title (noisy && i == 1 ? noisy_title : "")
load "png.gp"
