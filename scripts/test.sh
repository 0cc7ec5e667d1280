#!/usr/bin/env bash
# The README's test command: installs what the tests need (Chromium for the browser tests) when missing,
# builds the solution in Release with warnings as errors, runs every test, and prints 'N passed, N failed'.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ] && [ "${SUANLI_SKIP_BROWSER_INSTALL:-0}" != "1" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests..."
    SUDO=""; [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null 2>&1 \
      || echo "warning: could not install chromium; browser tests will fail"
  fi
fi

dotnet build Suanli.slnx -c Release 2>&1 | tail -3
build=${PIPESTATUS[0]}
if [ "$build" -ne 0 ]; then
  echo "0 passed, 1 failed (build failed)"
  exit 1
fi
log=$(mktemp)
dotnet test Suanli.slnx -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
awk '/^(Passed|Failed)!/ { gsub(",",""); for(i=1;i<=NF;i++){ if($i=="Failed:")f+=$(i+1); if($i=="Passed:")p+=$(i+1); if($i=="Skipped:")s+=$(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
