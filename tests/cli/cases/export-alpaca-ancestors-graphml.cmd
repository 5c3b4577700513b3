export alpaca --ancestors --format graphml
