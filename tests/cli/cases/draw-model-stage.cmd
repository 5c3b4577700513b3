draw --data tests/fixtures/render_small.yaml base --descendants --stage sft,merged -f mermaid
