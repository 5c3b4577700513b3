ancestors llama -x --data tests/fixtures/mini
