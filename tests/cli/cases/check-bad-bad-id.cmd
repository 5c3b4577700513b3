check --data tests/fixtures/bad/bad-id.yaml
