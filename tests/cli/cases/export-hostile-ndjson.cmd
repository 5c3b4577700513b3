export --data tests/fixtures/hostile/hostile.yaml --format ndjson
