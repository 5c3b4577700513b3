ancestors chinese-vicuna -r finetune,adapter -f json --data tests/fixtures/mini
