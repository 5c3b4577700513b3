path llama chinese-vicuna --relation finetune,recipe --data tests/fixtures/mini
