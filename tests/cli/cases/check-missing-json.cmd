check --data tests/fixtures/nope --format json
