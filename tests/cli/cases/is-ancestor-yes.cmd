is-ancestor llama alpaca --data data
