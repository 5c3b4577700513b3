diff tests/fixtures/diff/old/models.yaml tests/fixtures/diff/old -f json
