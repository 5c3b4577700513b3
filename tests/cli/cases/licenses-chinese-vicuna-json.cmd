licenses chinese-vicuna --format json
