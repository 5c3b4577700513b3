ancestors llama --data tests/fixtures/bad/cycle-2.yaml
