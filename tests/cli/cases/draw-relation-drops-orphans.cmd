draw --data tests/fixtures/render_small.yaml --relation finetune,distill -f mermaid
