query 'let x = llama in $y'
