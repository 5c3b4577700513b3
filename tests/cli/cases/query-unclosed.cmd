query 'ancestors(chinese-vicuna'
