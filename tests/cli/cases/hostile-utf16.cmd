check --data tests/fixtures/hostile/utf16.yaml
