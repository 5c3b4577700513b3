bom alpacca --data tests/fixtures/mini
