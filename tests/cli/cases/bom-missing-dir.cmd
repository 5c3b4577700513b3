bom alpaca -o tests/no-such-dir/alpaca.cdx.json --data tests/fixtures/mini
