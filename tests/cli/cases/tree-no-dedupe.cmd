descendants d13 --no-dedupe --data tests/fixtures/diamonds.yaml
