why gpt-3 vicuna --all --charset ascii --data data
