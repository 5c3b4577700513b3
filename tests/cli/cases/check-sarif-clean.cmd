check --format sarif --quiet
