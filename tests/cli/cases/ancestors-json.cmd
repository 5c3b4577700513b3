ancestors llava --format json --data tests/fixtures/mini
