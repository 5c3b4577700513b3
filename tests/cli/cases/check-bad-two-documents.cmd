check --data tests/fixtures/bad/two-documents.yaml
