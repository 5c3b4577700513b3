query 'roots(ancestors(vicuna))' --format ndjson
