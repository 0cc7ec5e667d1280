#!/usr/bin/env bash
# Seed case C6: a 500B-class dense model (PaLM 540B shapes) trained Chinchilla-optimally, its cluster, capex and a
# year of electricity; then the MoE contrast (Yuan2.0-M32: compute follows 3.7B active, memory follows 40B total).
set -euo pipefail
cd "$(dirname "$0")/.."
run() { dotnet run --project src/Suanli.Cli -- "$@"; }
run chinchilla --flops 3.5e25 --params 540B
run train --model palm-540b --tokens 10.8T --hardware h100 --devices 16384 --tariff '0.65 CNY/kWh' --grid-kg-per-kwh 0.58
run train --model yuan2-m32 --tokens 2T --hardware a100 --devices 256 --format markdown
