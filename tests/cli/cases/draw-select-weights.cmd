draw --data tests/fixtures/render_small.yaml --select 'descendants(base)' --weights closed -f mermaid
