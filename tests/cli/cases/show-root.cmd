show bloom --data tests/fixtures/mini
