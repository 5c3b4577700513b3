export --select 'ancestors(alpaca)' --format ndjson --data tests/fixtures/mini
