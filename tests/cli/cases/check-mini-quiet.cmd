check -q --data tests/fixtures/mini
