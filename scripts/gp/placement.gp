# A map of which threads ran on which processing unit (PU), one row per pinning
# policy and thread count; each cell names the threads bound to that PU.
# Args: data out title npus nrows
load "style.gp"
data = ARG1; out = ARG2; npus = int(ARG4); nr = int(ARG5)
h = 200 + 46 * nr
set terminal svg size svg_w, h noenhanced font "DejaVu Sans,15"
set output out.".svg"
set title ARG3." (cell: thread numbers)"
set xlabel "processing unit (OS index)"
set xrange [-0.5:npus - 0.5]
set yrange [nr - 0.5:-0.5]
set xtics 1
set ytics font ",12"
set grid noxtics noytics
set key off
set bmargin 4
set border 15
plot data using 1:2:(0.46):(0.42):ytic(4) with boxxyerror fs solid 0.6 lc rgb "#9ecae1", \
     data using 1:2:3 with labels font ",12"
png_h = int(h * 4 / 3)
load "png.gp"
