licenses llama --format yaml
