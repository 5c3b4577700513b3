help ancestor
