check --data tests/fixtures/bad/missing-id.yaml
