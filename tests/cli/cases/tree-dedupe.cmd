descendants d13 --data tests/fixtures/diamonds.yaml
