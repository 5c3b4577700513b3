ancestors llama --dpeth 2 --data tests/fixtures/mini
