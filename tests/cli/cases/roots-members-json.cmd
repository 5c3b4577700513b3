roots --members --top 2 --format json --data tests/fixtures/mini
