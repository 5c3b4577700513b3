is-ancestor llama chinese-vicuna-medical --data data
