ancestors Chinese-Vicuna -r recipe,distill --data tests/fixtures/mini
