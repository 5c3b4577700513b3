why llama chinese-vicuna-medical --format json --data data
