roots --top 2 --data tests/fixtures/mini
