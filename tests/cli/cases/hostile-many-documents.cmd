check --data tests/fixtures/hostile/many-documents.yaml
