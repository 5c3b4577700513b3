list -o meta --data tests/fixtures/mini
