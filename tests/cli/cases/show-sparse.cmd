show huginn-13b --data tests/fixtures/mini
