check --data tests/fixtures/bad/unknown-arch.yaml
