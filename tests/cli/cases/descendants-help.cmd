descendants -h
