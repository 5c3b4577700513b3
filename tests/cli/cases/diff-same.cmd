diff tests/fixtures/diff/old tests/fixtures/diff/old
