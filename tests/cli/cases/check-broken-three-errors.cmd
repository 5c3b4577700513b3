check --data tests/fixtures/broken/three-errors.yaml
