ancestors stdin-tune --data tests/fixtures/mini --data -
