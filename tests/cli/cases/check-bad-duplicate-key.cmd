check --data tests/fixtures/bad/duplicate-key.yaml
