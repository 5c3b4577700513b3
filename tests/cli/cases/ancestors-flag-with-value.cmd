ancestors llama --help=yes --data tests/fixtures/mini
