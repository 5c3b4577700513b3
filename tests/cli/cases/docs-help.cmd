docs --help
