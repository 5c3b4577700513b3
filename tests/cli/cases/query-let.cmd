query 'let base = ancestors(alpaca) in $base ^ roots()'
