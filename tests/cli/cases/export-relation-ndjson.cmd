export alpaca --ancestors --relation finetune,recipe --format ndjson
