bom --help
