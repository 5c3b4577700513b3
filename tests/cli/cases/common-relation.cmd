common alpaca vicuna --relation finetune --data tests/fixtures/mini
