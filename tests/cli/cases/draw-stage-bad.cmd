draw --data tests/fixtures/render_small.yaml --stage sft,chat
