query llama --format yaml
