export --data tests/fixtures/mini --format ndjson
