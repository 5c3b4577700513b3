query 'ancestors(llama) except llama'
