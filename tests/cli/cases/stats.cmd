stats --data tests/fixtures/mini
