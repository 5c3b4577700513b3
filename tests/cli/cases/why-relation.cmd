why gpt-3 vicuna --relation finetune --data data
