descendants llama --data tests/fixtures/mini
