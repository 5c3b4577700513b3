check --data tests/fixtures/bad/bad-inferred.yaml
