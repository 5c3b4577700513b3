check --data tests/fixtures/mini/10-base.yaml --data tests/fixtures/mini/20-derived.yaml
