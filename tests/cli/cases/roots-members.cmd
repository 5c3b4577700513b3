roots --members --top 2 --data tests/fixtures/mini
