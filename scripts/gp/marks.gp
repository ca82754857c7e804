# The core count as a dotted vertical line with its label, on a log2 thread axis.
if (cores > 0) {
    set arrow 1 from cores, graph 0 to cores, graph 1 nohead lc rgb "#7f7f7f" lw 1.5 dt 3 front
    set label 1 sprintf("%d cores", cores) at cores, graph 0.97 right offset -0.5,0 \
        textcolor rgb "#555555" front
}
