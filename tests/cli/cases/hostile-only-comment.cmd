check --data tests/fixtures/hostile/only-comment.yaml
