draw --format dot --data tests/fixtures/hostile/link-tricks.yaml
