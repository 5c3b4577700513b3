check --data tests/fixtures/bad/empty.yaml
