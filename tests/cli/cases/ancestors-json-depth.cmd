ancestors mythomax-l2-13b-gptq --depth 2 -f json --data tests/fixtures/mini
