import hf tests/fixtures/hf/real
