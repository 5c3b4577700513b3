ancestors directive --data tests/fixtures/hostile/forged-lines.yaml
