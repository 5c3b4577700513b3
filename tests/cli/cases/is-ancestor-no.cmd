is-ancestor alpaca llama --data data
