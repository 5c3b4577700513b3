export nosuch-model
