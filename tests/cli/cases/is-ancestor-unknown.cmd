is-ancestor llama nosuch --data data
