ancestors falcon --data tests/fixtures/mini
