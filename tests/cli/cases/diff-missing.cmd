diff tests/fixtures/diff/old tests/fixtures/diff/missing.yaml
