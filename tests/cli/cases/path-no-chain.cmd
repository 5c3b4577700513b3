path bloom llama --data tests/fixtures/mini
