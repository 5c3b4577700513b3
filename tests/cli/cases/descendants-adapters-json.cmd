descendants llama --relation adapter --format json --data tests/fixtures/mini
