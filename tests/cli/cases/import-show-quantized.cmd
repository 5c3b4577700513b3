show TheBloke/Genz-70b-GPTQ --data tests/fixtures/hf/real
