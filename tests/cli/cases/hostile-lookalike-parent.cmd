check --data tests/fixtures/hostile/lookalike-parent.yaml
