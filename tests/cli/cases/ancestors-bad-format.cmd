ancestors llama --format yaml --data tests/fixtures/mini
