check --data tests/fixtures/bad/yaml-alias.yaml
