check --data tests/fixtures/bad/cycle-3.yaml
