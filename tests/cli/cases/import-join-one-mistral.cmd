query 'mistralai/Mistral-7B-v0.1 + attr(external, true)' --data tests/fixtures/hf/real --data data
