show x --format json --data tests/fixtures/hostile/terminal-escapes.yaml
