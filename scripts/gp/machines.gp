# One group's scaling on several machines: speedup against threads, or efficiency against
# threads per core (so that machines with different core counts compare). Colour by node
# type (machines of one type share it: their spread shows as a bundle of lines), dash and
# point by backend; each machine's ideal speedup thin and dashed in its colour; the core
# counts marked.
# Args: data out title speedup|efficiency "titles" "colours" "series" "cores ..." "ideal colours"
# A title of "-" draws the line without a legend entry.
load "style.gp"
data = ARG1; out = ARG2; view = ARG4; titles = ARG5; colours = ARG6; series = ARG7; corelist = ARG8; icolours = ARG9
n = words(series); ni = words(icolours)
type_color(k) = int(word("0x1b9e77 0xd95f02 0x7570b3 0xe7298a 0x66a61e 0xe6ab02 0xa6761d 0x666666", (int(k) - 1) % 8 + 1))
series_dash(s) = strstrt(s, "pthread") ? 1 : strstrt(s, "libomp") ? 4 : strstrt(s, "omp") ? 2 : 1
title_of(i) = (word(titles, i) eq "-") ? "" : word(titles, i)
set output out.".svg"
set logscale x 2
set yrange [0:*]
set offsets graph 0.04, graph 0.04, graph 0.08, 0
set key maxrows 4
if (view eq "speedup") {
    set title ARG3." - speedup against threads (dashed: each machine's ideal)"
    set xlabel "threads"
    set ylabel "speedup over seq on the same machine (x)"
    do for [k=1:words(corelist)] {
        c = int(word(corelist, k))
        set arrow 10 + k from c, graph 0 to c, graph 1 nohead lc rgb "#7f7f7f" lw 1.5 dt 3 front
        ctext = (c == 1) ? "1 core" : sprintf("%d cores", c)
        set label 10 + k ctext at c, graph 0.04 right offset -0.5, 0 textcolor rgb "#555555" front
    }
    plot for [i=1:n] data index (i-1) using 1:2 with linespoints lw 2 lc rgb type_color(word(colours, i)) \
            dt series_dash(word(series, i)) pt series_point(word(series, i)) title title_of(i), \
         for [j=1:ni] data index (n + j - 1) using 1:2 with lines lw 1 dt 2 lc rgb type_color(word(icolours, j)) notitle
} else {
    set title ARG3." - efficiency against threads per core (dashed: ideal)"
    set xlabel "threads / cores of the machine"
    set ylabel "efficiency (speedup / ideal speedup)"
    set arrow 10 from 1, graph 0 to 1, graph 1 nohead lc rgb "#7f7f7f" lw 1.5 dt 3 front
    set label 10 "the cores" at 1, graph 0.04 right offset -0.5, 0 textcolor rgb "#555555" front
    set arrow 11 from graph 0, first 1 to graph 1, first 1 nohead lc rgb "#000000" lw 1.5 dt 2 front
    plot for [i=1:n] data index (i-1) using 4:3 with linespoints lw 2 lc rgb type_color(word(colours, i)) \
            dt series_dash(word(series, i)) pt series_point(word(series, i)) title title_of(i)
}
load "png.gp"
