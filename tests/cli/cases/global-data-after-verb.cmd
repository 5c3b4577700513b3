ancestors alpaca --data data
