draw --data tests/fixtures/render_small.yaml --weights free
