path --help
