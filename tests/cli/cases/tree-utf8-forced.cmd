ancestors chinese-vicuna --depth 2 --charset utf8 --data data
