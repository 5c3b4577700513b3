export --format xml
