ancestors x --data -
