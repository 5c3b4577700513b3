licenses chinese-vicuna
