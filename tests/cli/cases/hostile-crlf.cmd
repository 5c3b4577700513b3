check --data tests/fixtures/hostile/crlf.yaml
