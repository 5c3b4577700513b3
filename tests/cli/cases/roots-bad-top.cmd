roots --top two --data tests/fixtures/mini
