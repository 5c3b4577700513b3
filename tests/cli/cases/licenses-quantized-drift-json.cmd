licenses odd-licence --data tests/fixtures/licence/drift.yaml --format json
