# Median time with its 95% interval for each pinning policy, per backend and thread count.
# Args: data out title "bind ..." nrows
load "style.gp"
data = ARG1; out = ARG2; binds = ARG4; nb = words(binds)
set output out.".svg"
set title ARG3
set ylabel "median wall time (s)"
set xlabel "backend @threads"
set style data histograms
set style histogram errorbars gap 1 lw 1.5
set boxwidth 0.9
set yrange [0:*]
set grid noxtics ytics
set xtics rotate by -20 left font ",13"
set bmargin 9
bind_color(i) = word("0x7f7f7f 0x1f77b4 0xff7f0e 0x2ca02c 0x9467bd 0x8c564b 0xe377c2", (i - 1) % 7 + 1)
plot for [i=1:nb] data using (column(3*i-1)):(column(3*i)):(column(3*i+1)):xtic(1) \
        title "bind=".word(binds, i) lc rgb bind_color(i)
load "png.gp"
