#!/usr/bin/env bash
# Seed case C2, application 1: knowledge-base RAG for a 5,000-person financial institution.
# 1% concurrency = 50 peak concurrent requests, short input, long output, a 72B model, "1-2 s per request".
# The articles sized it at one model copy per concurrent request; Suanli simulates continuous batching instead.
set -euo pipefail
suanli() { dotnet run --project "$(dirname "$0")/../src/Suanli.Cli" -- "$@"; }

# 50 concurrent users on one 4 x A100-80G replica: what they feel, with the articles' estimate beside it.
suanli simulate --model qwen2-72b --hardware a100-80gb --devices 4 \
  --concurrency 50 --input 512 --output lognormal:mean=500,sd=200 --e2e-p90 2 --seed 1

# The 1-2 s end-to-end target cannot be met by a 72B model streaming about 500 tokens at any load:
# the search says why and computes what would (fp8, TP=8, smaller models of the family).
suanli capacity --model qwen2-72b --hardware a100-80gb --devices 4 \
  --input 512 --output 500 --e2e-p90 2

# With streaming targets a user can feel (first token within 2 s, 100 ms per token = 10 tokens/s),
# the concurrency one replica carries:
suanli capacity --model qwen2-72b --hardware a100-80gb --devices 4 --mode concurrency \
  --input 512 --output 500 --ttft-p90 2 --tpot-p90 0.1
