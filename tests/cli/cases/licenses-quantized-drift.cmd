licenses mit-tune-int4 --data tests/fixtures/licence/drift.yaml
