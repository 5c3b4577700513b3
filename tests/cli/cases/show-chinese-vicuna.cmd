show 'chinese vicuna' --data tests/fixtures/mini
