import hf tests/fixtures/hf/readme
