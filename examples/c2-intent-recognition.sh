#!/usr/bin/env bash
# Seed case C2, application 2: outbound-call intent recognition.
# 1,000 peak concurrent requests, long input (the call transcript), short output (an intent label), 200-300 ms per response.
set -euo pipefail
suanli() { dotnet run --project "$(dirname "$0")/../src/Suanli.Cli" -- "$@"; }

# 1,000 concurrent callers against one 4 x A100-80G replica of a 72B model: the articles would use 1,000 copies.
suanli simulate --model qwen2-72b --hardware a100-80gb --devices 4 \
  --concurrency 1000 --input 2048 --output 8 --e2e-p90 0.3

# How many concurrent requests one replica answers within 300 ms, and what would when none does.
suanli capacity --model qwen2-72b --hardware a100-80gb --devices 4 --mode concurrency \
  --input 2048 --output 8 --e2e-p90 0.3

# A smaller model of the same family on one device, with the same target.
suanli capacity --model qwen2.5-14b --hardware a100-80gb --devices 1 --mode concurrency \
  --input 2048 --output 8 --e2e-p90 0.3

# Replaying a recorded trace (CSV: arrival seconds, input tokens, output tokens).
suanli simulate --model qwen2.5-14b --hardware a100-80gb --trace "$(dirname "$0")/c2-intent-trace.csv"
