check --data tests/fixtures/hostile/scalar-top.yaml
