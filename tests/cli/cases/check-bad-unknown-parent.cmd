check --data tests/fixtures/bad/unknown-parent.yaml
