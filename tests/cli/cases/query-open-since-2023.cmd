query 'attr(weights, open, released(>=2023-01, descendants(llama-2)))'
