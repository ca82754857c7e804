# The look every plot shares: sizes, fonts, grid, and one colour per backend, so that a
# backend keeps its colour from plot to plot. Loaded first by every plot file.
svg_w = 960; svg_h = 560; png_w = 1280; png_h = 747
set terminal svg size svg_w, svg_h noenhanced font "DejaVu Sans,15" background "#ffffff"
set termoption noenhanced
set datafile separator "\t"
set datafile missing "-"
set encoding utf8
set border 3 lw 1.2
set tics nomirror
set grid xtics ytics lc rgb "#dddddd" lw 1 dt 1
set key outside below horizontal center box opaque samplen 2.5 spacing 1.1 maxrows 4
set title font ",17"
set pointsize 1.1
set style fill solid 0.85 border -1
set bmargin 7

# Colours by what is in the series name: bench-python's executors and loop, pthread
# pool, libgomp, libomp, seq.
backend_color(s) = strstrt(s, "python-threads") ? 0x9467bd : \
                   strstrt(s, "python-processes") ? 0x8c564b : \
                   strstrt(s, "python-seq") ? 0xbcbd22 : \
                   strstrt(s, "pthread") ? 0x1f77b4 : \
                   strstrt(s, "libomp") ? 0x2ca02c : \
                   strstrt(s, "omp") ? 0xd62728 : 0x555555
# Dash types and point types by schedule (static, dynamic, guided).
sched_dash(s) = strstrt(s, "dynamic") ? 2 : strstrt(s, "guided") ? 4 : 1
sched_point(s) = strstrt(s, "dynamic") ? 6 : strstrt(s, "guided") ? 8 : 7
series_point(s) = strstrt(s, "python-threads") ? 13 : strstrt(s, "python-processes") ? 11 : \
                  strstrt(s, "pthread") ? 7 : strstrt(s, "libomp") ? 9 : 5
# Python series running the C build's kernel through ctypes (kernel=c) are dashed.
kernel_dash(s) = strstrt(s, "kernel=c") ? 2 : 1
# A series name is one word for words(), its parts joined by "|"; a legend shows them
# joined by commas ("omp/libgomp-12.2.0|bind=spread": "omp/libgomp-12.2.0, bind=spread").
legend(s) = strstrt(s, "|") ? legend(s[1:strstrt(s, "|") - 1].", ".s[strstrt(s, "|") + 1:]) : s

noisy_title = "noisy (cv > 5%)"
