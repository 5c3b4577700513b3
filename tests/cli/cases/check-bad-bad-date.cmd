check --data tests/fixtures/bad/bad-date.yaml
