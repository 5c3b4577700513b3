ancestors llama --depth -1 --data tests/fixtures/mini
