common bloom llama --data tests/fixtures/mini
