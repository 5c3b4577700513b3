ancestors guanaco --data tests/fixtures/mini
