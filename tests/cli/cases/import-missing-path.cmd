import hf tests/fixtures/hf/no-such-dir
