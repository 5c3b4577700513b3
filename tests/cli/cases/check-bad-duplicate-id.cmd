check --data tests/fixtures/bad/duplicate-id.yaml
