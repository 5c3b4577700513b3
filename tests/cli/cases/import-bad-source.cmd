import pypi tests/fixtures/hf/real
