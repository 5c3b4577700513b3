show kid --data tests/fixtures/hostile/forged-lines.yaml
