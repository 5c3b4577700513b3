licenses odd-licence --data tests/fixtures/licence/drift.yaml --relation finetune,quantized
