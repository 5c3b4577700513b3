path llama mythomax-l2-13b-gptq --format json --data tests/fixtures/mini
