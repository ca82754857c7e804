# Redraws the last plot as a PNG next to its SVG; `out` names both without extension.
set terminal pngcairo size 1280,747 font "DejaVu Sans,15" background "#ffffff"
set termoption noenhanced
set output out.".png"
replot
unset output
