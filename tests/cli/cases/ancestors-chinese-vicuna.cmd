ancestors chinese-vicuna --data tests/fixtures/mini
