common alpaca llama --data tests/fixtures/mini
