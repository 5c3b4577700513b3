check --data tests/fixtures/hostile/duplicate-edge.yaml
