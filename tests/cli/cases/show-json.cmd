show alpaca --format json --data tests/fixtures/mini
