import hf tests/fixtures/hf/cache/hub
