check --data tests/fixtures/bad/ambiguous-parent.yaml
