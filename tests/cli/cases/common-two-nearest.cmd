common alpaca vicuna --data tests/fixtures/mini
