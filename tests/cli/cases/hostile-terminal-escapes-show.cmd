show x --data tests/fixtures/hostile/terminal-escapes.yaml
