licenses chinese-vicuna --relation finetune,adapter,quantized
