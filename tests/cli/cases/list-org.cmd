list --org meta --data tests/fixtures/mini
