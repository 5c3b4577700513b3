draw directive --ancestors -f mermaid --data tests/fixtures/hostile/forged-lines.yaml
