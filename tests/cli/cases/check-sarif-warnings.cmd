check --data tests/fixtures/mini --format sarif
