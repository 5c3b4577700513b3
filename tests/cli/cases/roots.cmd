roots --data tests/fixtures/mini
