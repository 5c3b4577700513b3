ancestors chinese-vicuna --no-dedupe --depth 2 --data data
