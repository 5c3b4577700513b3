check --data tests/fixtures/mini --format json --quiet
