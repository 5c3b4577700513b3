diff tests/fixtures/diff/old tests/fixtures/diff/new --format json
