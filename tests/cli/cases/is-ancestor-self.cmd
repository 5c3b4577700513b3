is-ancestor llama LLaMA-1 --data data
