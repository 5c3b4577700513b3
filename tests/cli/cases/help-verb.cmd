help ancestors
