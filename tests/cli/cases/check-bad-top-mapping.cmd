check --data tests/fixtures/bad/top-mapping.yaml
