ancestors llama --bogus --data tests/fixtures/mini
