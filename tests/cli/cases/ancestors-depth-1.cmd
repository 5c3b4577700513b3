ancestors mythomax-l2-13b-gptq --depth 1 --data tests/fixtures/mini
