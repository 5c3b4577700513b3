import hf-table tests/fixtures/hf/table/missing-id.csv
