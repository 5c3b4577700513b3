export --data tests/fixtures/mini --format gexf -o /dev/stdout
