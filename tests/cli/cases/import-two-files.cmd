import hf tests/fixtures/hf/readme/acme/chat-7b/README.md tests/fixtures/hf/real/Intel__neural-chat-7b-v3-1.yaml
