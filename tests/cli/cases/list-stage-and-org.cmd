list -s pretrained -o 'mistral ai' --data tests/fixtures/mini
