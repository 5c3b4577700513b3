check --data tests/fixtures/licence/drift.yaml
