check --data tests/fixtures/hostile/anchor-only.yaml
