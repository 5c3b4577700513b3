path mythomax-l2-13b-gptq 'Llama 2' --data tests/fixtures/mini
