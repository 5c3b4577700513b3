show llama --data tests/fixtures/bad/non-http-link.yaml
