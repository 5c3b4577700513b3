check --data tests/fixtures/bad/missing-sources.yaml
