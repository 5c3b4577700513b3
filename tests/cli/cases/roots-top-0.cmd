roots -n 0 --data tests/fixtures/mini
