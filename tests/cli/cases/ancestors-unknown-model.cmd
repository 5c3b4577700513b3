ancestors vicuma --data tests/fixtures/mini
