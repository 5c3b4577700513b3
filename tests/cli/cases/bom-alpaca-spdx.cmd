bom alpaca --format spdx --data tests/fixtures/mini
