check --strict --data tests/fixtures/mini
