ancestors llama --format json --data tests/fixtures/mini
