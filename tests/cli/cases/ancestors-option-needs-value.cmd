ancestors llama --data tests/fixtures/mini --depth
