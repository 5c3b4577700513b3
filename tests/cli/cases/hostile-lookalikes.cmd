check --data tests/fixtures/hostile/lookalikes.yaml
