check --data tests/fixtures/bad/too-deep.yaml
