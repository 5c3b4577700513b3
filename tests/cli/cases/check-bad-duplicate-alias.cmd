check --data tests/fixtures/bad/duplicate-alias.yaml
