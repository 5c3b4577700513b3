diff tests/fixtures/diff/old tests/fixtures/diff/new --relation finetune
