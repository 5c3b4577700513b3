export -o models.csv
