descendants llama --depth 1 --prefix none --relation adapter --data data
