list -s pretrained --org 'mistral ai' --data tests/fixtures/mini
