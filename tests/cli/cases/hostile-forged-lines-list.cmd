list --data tests/fixtures/hostile/forged-lines.yaml
