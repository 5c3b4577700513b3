common mythologic-l2-13b huginn-13b --data tests/fixtures/mini
