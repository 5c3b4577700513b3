common llava orca-2 --format json --data tests/fixtures/mini
