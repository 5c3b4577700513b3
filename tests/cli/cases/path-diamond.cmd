path llama-2 mythomax-l2-13b-gptq --data tests/fixtures/mini
