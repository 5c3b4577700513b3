roots --format json --data tests/fixtures/mini
