ancestors --data tests/fixtures/mini
