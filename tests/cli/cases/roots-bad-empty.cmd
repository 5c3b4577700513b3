roots --data tests/fixtures/bad/empty.yaml
