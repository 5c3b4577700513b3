descendants mistral-7b --depth 1 --data tests/fixtures/hf/real --data data
