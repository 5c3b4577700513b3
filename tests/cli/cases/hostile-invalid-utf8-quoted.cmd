check --data tests/fixtures/hostile/invalid-utf8-quoted.yaml
