query 'descendants(llama, 1)' --relation adapter
