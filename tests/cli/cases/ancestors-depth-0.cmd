ancestors mythomax-l2-13b-gptq --depth=0 --data tests/fixtures/mini
