is-ancestor llama --data data
