check --data tests/fixtures/bad/invalid-utf8.yaml
