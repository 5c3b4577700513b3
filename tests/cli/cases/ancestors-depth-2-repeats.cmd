ancestors chinese-vicuna --depth 2 --data tests/fixtures/mini
