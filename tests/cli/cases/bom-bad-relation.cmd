bom alpaca --relation weights --data tests/fixtures/mini
