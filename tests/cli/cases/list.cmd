list --data tests/fixtures/mini
