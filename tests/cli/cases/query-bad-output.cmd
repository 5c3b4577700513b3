query llama --output tree
