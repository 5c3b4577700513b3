common --help
