path llama LLaMA-1 --data tests/fixtures/mini
