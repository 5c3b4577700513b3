query 'allpaths(llama, chinese-vicuna)' --format json
