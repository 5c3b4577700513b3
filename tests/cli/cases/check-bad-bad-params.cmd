check --data tests/fixtures/bad/bad-params.yaml
