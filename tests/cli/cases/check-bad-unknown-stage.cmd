check --data tests/fixtures/bad/unknown-stage.yaml
