query
