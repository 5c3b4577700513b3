ancestors chinese-vicuna --relation finetune,adapter --data tests/fixtures/mini
