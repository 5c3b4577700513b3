query 'all() - attr(architecture, non-language)' --data tests/fixtures/hf/skipped
