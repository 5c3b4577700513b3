roots --relation finetune --data tests/fixtures/mini
