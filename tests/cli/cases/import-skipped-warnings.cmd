import hf tests/fixtures/hf/skipped
