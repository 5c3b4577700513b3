check --data tests/fixtures/bad/nul-byte.yaml
