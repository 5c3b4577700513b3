why alpaca llama --format json --data data
