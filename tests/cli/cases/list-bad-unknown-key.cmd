list --data tests/fixtures/bad/unknown-key.yaml
