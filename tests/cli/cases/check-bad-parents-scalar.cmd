check --data tests/fixtures/bad/parents-scalar.yaml
