check --data tests/fixtures/hostile/terminal-escapes.yaml
