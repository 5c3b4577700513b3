why alpaca llama --data data
