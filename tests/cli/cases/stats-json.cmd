stats --format json --data tests/fixtures/mini
