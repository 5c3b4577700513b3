why llama llama --data data
