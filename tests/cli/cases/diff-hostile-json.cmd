diff tests/fixtures/diff/old tests/fixtures/diff/hostile.yaml -f json
