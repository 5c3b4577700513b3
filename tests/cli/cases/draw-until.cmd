draw --data tests/fixtures/render_small.yaml --until 2023-03 -f mermaid
