list --org nobody --data tests/fixtures/mini
