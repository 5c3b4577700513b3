draw mistral-7b --descendants --depth 1 -f dot --data tests/fixtures/hf/real --data data
