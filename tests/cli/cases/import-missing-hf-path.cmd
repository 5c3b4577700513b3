import hf
