import hf-table tests/fixtures/hf/table/broken.csv
