bom mythomax-l2-13b-gptq --relation quantized --data tests/fixtures/mini
