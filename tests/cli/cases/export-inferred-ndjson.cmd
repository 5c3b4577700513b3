export -f ndjson --select 'descendants(mistral-7b, 1)' --data tests/fixtures/hf/real --data data
