check --data tests/fixtures/hostile/lone-surrogate.yaml
