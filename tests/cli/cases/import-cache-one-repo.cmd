import hf tests/fixtures/hf/cache/hub/models--acme--cached-7b
