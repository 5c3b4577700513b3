check --data tests/fixtures/hostile/bom.yaml
