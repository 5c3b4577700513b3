draw --format jpeg
