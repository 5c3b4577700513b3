descendants alpaca --charset ascii --data data
