query 'ancestor(llama)'
