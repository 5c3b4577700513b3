bom --data tests/fixtures/mini
