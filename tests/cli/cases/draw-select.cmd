draw --select 'allpaths(llama, chinese-vicuna)' -f dot --data tests/fixtures/mini
