check --data tests/fixtures/hostile/escaped-nul.yaml
