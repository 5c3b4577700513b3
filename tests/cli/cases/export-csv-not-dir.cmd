export --format csv -o README.md
