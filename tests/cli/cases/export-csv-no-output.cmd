export --format csv
