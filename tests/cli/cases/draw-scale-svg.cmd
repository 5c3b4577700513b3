draw --scale 2 -o x.svg
