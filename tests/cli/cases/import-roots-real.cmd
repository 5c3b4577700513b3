roots --data tests/fixtures/hf/real
