check --data tests/fixtures/bad/unknown-relation.yaml
