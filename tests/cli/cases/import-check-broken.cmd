check --data tests/fixtures/hf/broken
