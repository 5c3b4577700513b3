check --data tests/fixtures/bad/non-http-link.yaml
