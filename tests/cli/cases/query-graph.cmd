query 'ancestors(alpaca)' --output graph --data tests/fixtures/mini
