path mistralai/Mistral-7B-v0.1 Weyaxi/OpenHermes-2.5-neural-chat-v3-3-Slerp --data tests/fixtures/hf/real
