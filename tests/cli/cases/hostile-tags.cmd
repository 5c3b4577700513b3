check --data tests/fixtures/hostile/tags.yaml
