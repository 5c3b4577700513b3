draw --data tests/fixtures/render_small.yaml --since 2023-03 --weights open -f mermaid
