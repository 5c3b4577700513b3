diff tests/fixtures/diff/old
