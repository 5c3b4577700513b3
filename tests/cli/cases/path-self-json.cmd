path llama llama --format json --data tests/fixtures/mini
