check --data tests/fixtures/bad/name-list.yaml
