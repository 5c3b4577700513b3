export alpaca --ancestors --depth 1 --format gexf
