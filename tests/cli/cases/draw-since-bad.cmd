draw --data tests/fixtures/render_small.yaml --since 2023-13
