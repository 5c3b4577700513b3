list --org nobody -f json --data tests/fixtures/mini
