check --data tests/fixtures/hostile/link-tricks.yaml
