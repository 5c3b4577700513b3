check --data tests/fixtures/bad/self-loop.yaml
