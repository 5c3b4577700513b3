check --data tests/fixtures/hostile/null-entry.yaml
