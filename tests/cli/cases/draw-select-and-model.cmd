draw llama --select 'llama'
