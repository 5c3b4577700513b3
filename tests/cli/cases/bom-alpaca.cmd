bom alpaca --data tests/fixtures/mini
