path llama-2 mythomax-l2-13b --relation finetune --data tests/fixtures/mini
