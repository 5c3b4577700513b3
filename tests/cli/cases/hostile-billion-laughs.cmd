check --data tests/fixtures/hostile/billion-laughs.yaml
