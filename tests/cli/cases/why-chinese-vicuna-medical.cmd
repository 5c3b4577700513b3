why llama chinese-vicuna-medical --data data
