check --data tests/fixtures/mini
