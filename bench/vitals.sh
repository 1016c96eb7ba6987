#!/usr/bin/env bash
# Speed as people feel it (#19 point 4): the demo served by the production command, four pages
# (a school's home page, an article with a cover and a gallery, the exam lookup, a result) loaded
# in headless Chromium as a cheap phone on slow 4G sees them (bench/vitals.py: 375 px at 2x,
# 4x CPU slowdown, 562.5 ms round trip, 1.44/0.675 Mbit/s), cold and warm, ROUNDS times each
# (the median is reported). Targets: FCP ≤ 1.5 s and LCP ≤ 2.0 s cold; the home page under 150 KB.
#   bench/vitals.sh   (needs chromium, chromium-driver, python3-selenium: scripts/test installs them)
# Prints a Markdown table and writes it to bench/out/vitals.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
for tool in chromium chromedriver python3; do command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }; done
# BIN=path/to/eduportal to use a build made elsewhere. The server's own time is a few
# milliseconds of each load (the network emulation and the slowed CPU are the rest).
if [[ -z "${BIN:-}" ]]; then
  swift build -c release --product eduportal >/dev/null
  BIN=$PWD/.build/release/eduportal
fi

WORK_PREFIX=eduportal-vitals
source bench/lib.sh

APP_PORT=$(free_port)
serve_demo "$APP_PORT"
echo "loading each page $ROUNDS times cold and warm…" >&2
mkdir -p bench/out
{
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $ROUNDS rounds, median; server: $BIN"
  echo
  python3 bench/vitals.py "$APP_PORT" "$ROUNDS" "$WORK/vitals.json"
} | tee bench/out/vitals.md
python3 - "$WORK/vitals.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
cold = [r for r in rows if r["load"] == "cold"]
home = next(r for r in cold if r["page"].startswith("Trang chủ"))
misses = [f"{r['page']}: FCP {r['fcp']:.0f} ms" for r in cold if r["fcp"] > 1500] + \
         [f"{r['page']}: LCP {r['lcp']:.0f} ms" for r in cold if r["lcp"] > 2000]
if home["bytes"] >= 150_000:
    misses.append(f"home page {home['bytes']:,.0f} bytes")
print("targets met" if not misses else "targets missed: " + "; ".join(misses), file=sys.stderr)
PY
