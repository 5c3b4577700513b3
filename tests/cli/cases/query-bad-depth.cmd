query 'ancestors(llama, deep)'
