ancestors llama --data tests/fixtures/nope
