check --data tests/fixtures/bad/tabs.yaml
