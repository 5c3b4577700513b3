why gpt-3 vicuna --all --data data
