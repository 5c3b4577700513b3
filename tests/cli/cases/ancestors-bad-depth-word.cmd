ancestors llama --depth deep --data tests/fixtures/mini
