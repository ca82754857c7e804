# The core count as a dotted vertical line with its label, on a log2 thread axis.
# A sweep of one thread count gets a range around it rather than an empty one.
stats data using 1 nooutput
if (STATS_min == STATS_max) { set xrange [STATS_min / 1.5:STATS_max * 1.5] }
if (cores > 0) {
    set arrow 1 from cores, graph 0 to cores, graph 1 nohead lc rgb "#7f7f7f" lw 1.5 dt 3 front
    set label 1 (cores == 1 ? "1 core" : sprintf("%d cores", cores)) at cores, graph 0.04 right offset -0.5,0 \
        textcolor rgb "#555555" front
}
