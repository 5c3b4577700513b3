ancestors y --data tests/fixtures/hostile/terminal-escapes.yaml
