draw --scale 9 -o x.png
