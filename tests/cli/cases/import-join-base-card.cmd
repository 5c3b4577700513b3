show mistralai/Mistral-7B-v0.1 --data tests/fixtures/hf/join --data tests/fixtures/hf/real --data data
