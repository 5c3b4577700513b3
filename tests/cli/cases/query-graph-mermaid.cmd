query 'ancestors(alpaca)' --output graph -f mermaid --data tests/fixtures/mini
