ancestors --help
