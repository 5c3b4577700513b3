check --data tests/fixtures/bad/unknown-key.yaml
