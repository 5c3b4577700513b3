draw mistral-7b --descendants --depth 1 -f mermaid --data tests/fixtures/hf/real --data data
