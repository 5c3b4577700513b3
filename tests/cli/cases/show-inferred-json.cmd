show Intel/neural-chat-7b-v3-1 --format json --data tests/fixtures/hf/real
