show llama --data tests/fixtures/mini
