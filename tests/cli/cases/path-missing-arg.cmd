path llama --data tests/fixtures/mini
