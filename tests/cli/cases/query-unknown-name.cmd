query 'ancestors(lama)'
