bom intel/neural-chat-7b-v3-1 --data tests/fixtures/hf/real --data data
