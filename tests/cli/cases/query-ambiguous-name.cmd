query 'ancestors(guanaco)' --data tests/fixtures/mini
