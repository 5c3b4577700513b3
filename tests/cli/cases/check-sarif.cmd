check --data tests/fixtures/broken/three-errors.yaml --format sarif --quiet
