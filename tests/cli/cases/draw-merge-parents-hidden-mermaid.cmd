draw --select 'descendants(teknium/OpenHermes-2.5-Mistral-7B)' -f mermaid --data tests/fixtures/hf/real
