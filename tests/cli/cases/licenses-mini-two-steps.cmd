licenses llava --data tests/fixtures/mini
