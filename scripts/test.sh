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
results=$(mktemp -d)
dotnet test Suanli.slnx -c Release --no-build --logger trx --results-directory "$results" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The slowest test classes of each assembly (xunit runs a class's tests one after another, classes side by side), from
# the first start to the last end of its tests in the TRX results: where to look when the run gets slower.
echo "Slowest test classes (seconds from their first test's start to their last test's end):"
cat "$results"/*.trx 2>/dev/null | awk '
  function days(y, m, d) { y -= (m <= 2); era = int(y / 400); yoe = y - era * 400; return era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1 }
  function at(ts) { return days(substr(ts, 1, 4) + 0, substr(ts, 6, 2) + 0, substr(ts, 9, 2) + 0) * 86400 + substr(ts, 12, 2) * 3600 + substr(ts, 15, 2) * 60 + substr(ts, 18, 10) }
  function attr(line, key) { return match(line, key "=\"[^\"]*\"") ? substr(line, RSTART + length(key) + 2, RLENGTH - length(key) - 3) : "" }
  /<UnitTestResult / {
    name = attr($0, "testName"); sub(/\(.*/, "", name); sub(/\.[^.]*$/, "", name)
    b = at(attr($0, "startTime")); e = at(attr($0, "endTime"))
    if (!(name in first) || b < first[name]) first[name] = b
    if (!(name in last) || e > last[name]) last[name] = e
  }
  END { for (c in first) printf "%8.1f  %s\n", last[c] - first[c], c }' | sort -rn | head -15
rm -rf "$results"
awk '/^(Passed|Failed)!/ { gsub(",",""); for(i=1;i<=NF;i++){ if($i=="Failed:")f+=$(i+1); if($i=="Passed:")p+=$(i+1); if($i=="Skipped:")s+=$(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
