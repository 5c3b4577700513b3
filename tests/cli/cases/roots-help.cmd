roots --help
