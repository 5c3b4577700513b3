path llama mythomix --data tests/fixtures/mini
