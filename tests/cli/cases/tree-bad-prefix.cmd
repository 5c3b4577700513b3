ancestors alpaca --prefix tabs --data data
