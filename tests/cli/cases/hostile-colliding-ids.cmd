draw -f mermaid --data tests/fixtures/hostile/colliding-ids.yaml
