import hf tests/fixtures/hf/broken/acme__no-front-matter.md
