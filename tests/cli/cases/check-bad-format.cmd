check --data tests/fixtures/mini --format yaml
