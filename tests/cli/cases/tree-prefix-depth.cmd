ancestors chinese-vicuna --depth 2 --prefix depth --data data
