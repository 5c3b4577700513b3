ancestors 'Chinese Vicuna' --data tests/fixtures/mini
