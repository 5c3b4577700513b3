common guanaco alpaca --data tests/fixtures/mini
