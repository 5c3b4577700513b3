check --data tests/fixtures/hf/readme
