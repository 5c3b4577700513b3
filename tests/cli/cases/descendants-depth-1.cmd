descendants LLaMA --depth 1 --data tests/fixtures/mini
