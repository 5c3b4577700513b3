ancestor llama
