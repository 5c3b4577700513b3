is-ancestor gpt-3.5 alpaca --relation finetune,adapter --data data
