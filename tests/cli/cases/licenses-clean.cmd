licenses t5
