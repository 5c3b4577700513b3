check --data tests/fixtures/hostile/complex-key.yaml
