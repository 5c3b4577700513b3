diff tests/fixtures/diff/broken.yaml tests/fixtures/diff/missing.yaml
