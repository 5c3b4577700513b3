list --stage adapter --format json --data tests/fixtures/mini
