frobnicate --data tests/fixtures/mini
