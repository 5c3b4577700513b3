check --data tests/fixtures/hostile/self-loop-by-alias.yaml
