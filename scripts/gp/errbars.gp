# Median time with its interval as clustered bars: for each pinning policy per backend
# and thread count, or (colour=backend) for each backend per schedule.
# Args: data out title "name ..." nrows [colour: bind or backend] [xlabel]
load "style.gp"
data = ARG1; out = ARG2; binds = ARG4; nb = words(binds)
by_backend = (ARGC >= 6 && ARG6 eq "backend")
prefix = by_backend ? "" : "bind="
set output out.".svg"
set title ARG3
set ylabel "median wall time (s)"
set xlabel (ARGC >= 7 ? ARG7 : "backend @threads")
set style data histograms
set style histogram errorbars gap 1 lw 1.5
set boxwidth 0.9
set yrange [0:*]
set grid noxtics ytics
set xtics rotate by -20 left font ",13"
set bmargin 9
bind_color(i) = word("0x7f7f7f 0x1f77b4 0xff7f0e 0x2ca02c 0x9467bd 0x8c564b 0xe377c2", (i - 1) % 7 + 1)
plot for [i=1:nb] data using (column(3*i-1)):(column(3*i)):(column(3*i+1)):xtic(1) \
        title prefix.word(binds, i) lc rgb (by_backend ? backend_color(word(binds, i)) : bind_color(i))
load "png.gp"
