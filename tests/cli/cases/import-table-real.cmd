import hf-table tests/fixtures/hf/table/real-cards.csv
