bom intel/neural-chat-7b-v3-1 -f spdx --data tests/fixtures/hf/real --data data
