ancestors --data tests/fixtures/mini -- llava
