bom alpaca --format xml --data tests/fixtures/mini
