diff tests/fixtures/diff/broken.yaml tests/fixtures/diff/old
