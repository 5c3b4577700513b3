path bloom llama -f json --data tests/fixtures/mini
