ancestors alpaca --charset latin1 --data data
