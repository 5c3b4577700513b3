draw --by-year --since 2023 --weights open -f mermaid
