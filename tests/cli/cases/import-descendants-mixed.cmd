descendants acme/base-7b --data tests/fixtures/hf/readme --data tests/fixtures/hf/cache/hub
