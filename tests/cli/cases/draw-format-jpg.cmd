draw -o out.jpg
