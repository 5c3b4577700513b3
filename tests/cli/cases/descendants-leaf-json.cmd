descendants mythomax-l2-13b-gptq -f json --data tests/fixtures/mini
