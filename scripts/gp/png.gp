# Redraws the last plot as a PNG next to its SVG; `out` names both without extension.
set terminal pngcairo size png_w, png_h noenhanced font "DejaVu Sans,15" background "#ffffff"
set termoption noenhanced
set output out.".png"
replot
unset output
