ancestors chinese-vicuna --depth 2 --data data
