check --data tests/fixtures/nope
