import hf tests/fixtures/hf/broken
