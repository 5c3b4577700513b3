query 'ancestors(chinese-vicuna) except ancestors(alpaca)'
