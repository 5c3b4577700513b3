check --data tests/fixtures/mini/30-quantized.yaml
