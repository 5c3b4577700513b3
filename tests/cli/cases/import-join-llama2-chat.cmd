ancestors TheBloke/Llama-2-13B-chat-GPTQ --data tests/fixtures/hf/real --data data
