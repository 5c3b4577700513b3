ancestors llama --relation lora --data tests/fixtures/mini
