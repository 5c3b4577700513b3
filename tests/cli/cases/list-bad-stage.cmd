list --stage instruct --data tests/fixtures/mini
