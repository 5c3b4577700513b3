licenses no-such-model
