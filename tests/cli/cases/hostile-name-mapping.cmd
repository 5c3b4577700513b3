check --data tests/fixtures/hostile/name-mapping.yaml
