show Guanaco --data tests/fixtures/mini
