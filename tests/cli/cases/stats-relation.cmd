stats --relation finetune,merge,quantized --data tests/fixtures/mini
