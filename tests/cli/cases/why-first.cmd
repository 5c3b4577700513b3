why gpt-3 vicuna --data data
