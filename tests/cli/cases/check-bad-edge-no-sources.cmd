check --data tests/fixtures/bad/edge-no-sources.yaml
