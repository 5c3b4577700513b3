ancestors llama alpaca --data tests/fixtures/mini
