path llama chinese-vicuna --data tests/fixtures/mini
