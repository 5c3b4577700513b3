check --data tests/fixtures/bad/syntax-error.yaml
