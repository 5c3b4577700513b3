query 'kind(adapter, descendants(llama, 1))'
