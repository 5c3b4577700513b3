list --stage sft --data tests/fixtures/mini
