roots --members --relation adapter --data tests/fixtures/mini
