ancestors weyaxi/openhermes-2.5-neural-chat-v3-3-slerp --data tests/fixtures/hf/real
