list --data tests/fixtures/hf/readme/acme/chat-7b/README.md --data tests/fixtures/mini
