list --data -
