#!/usr/bin/env bash
# Seed case C4: training GPT-3 175B (3,640 PF-days) on A100s, with the articles' INT8 figure beside the BF16 peak.
set -euo pipefail
cd "$(dirname "$0")/.."
run() { dotnet run --project src/Suanli.Cli -- "$@"; }
# 1. The paper's 3.15e23 FLOPs on 1,024 A100-80GB, electricity at a Chinese industrial tariff.
run train --model gpt-3-175b --flops 3.15e23 --hardware a100 --devices 1024 --tariff '0.65 CNY/kWh'
# 2. The article's cluster: ~6,000 A100s "for a day" at 0.6 PFLOP/s each; what a day of 6,000 really gives.
run train --model gpt-3-175b --tokens 300B --hardware a100 --devices 6000 --format markdown
# 3. The article's question the other way round: the fewest A100s that finish in one day (deadline mode).
run train --model gpt-3-175b --flops 3.15e23 --hardware a100 --days 1 --tariff '0.65 CNY/kWh'
