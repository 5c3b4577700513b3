check --data tests/fixtures/bad
