check --data tests/fixtures/bad/cycle-2.yaml
