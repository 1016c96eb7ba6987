#!/usr/bin/env bash
# Durable online registrations per second (#13) on SQLite (WAL, synchronous=FULL: a receipt
# means the row is on disk), beside wrk on the same server's bare /healthz in the same run.
# wrk (bench/admission.lua) posts complete forms, each for a different child, over 256
# connections (256 parents) in two ways, two rounds each:
#   - paced: each parent pauses 0.55-1.65 s (mean 1.1 s) between forms, so about 200-230 forms
#     a second are offered: the latency a parent sees at deadline-day load;
#   - back to back: no pause: the most registrations a second the server stores (with 256
#     forms always waiting, each waits about 256 / rate seconds: Little's law).
#
#   bench/admission.sh            (needs the release build and wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/eduportal}
[[ -x $BIN ]] || { echo "build the release first: swift build -c release --product eduportal" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
WORK_PREFIX=eduportal-admission-bench
source bench/lib.sh
PORT=$(free_port)
serve_demo "$PORT" EDUPORTAL_LOOKUP_RATE_LIMIT=0 EDUPORTAL_LOOKUP_PORT=0 EDUPORTAL_MAIL_POLICY_PORT=0
HOST=thpt-chu-van-an.localhost
# The Sở's joint grade-10 plan as a parent finds it: its form, Chu Văn An as first choice, its zone.
plan=$(curl -s -H "Host: $HOST" "http://127.0.0.1:$PORT/tuyen-sinh" | grep -o 'href="/tuyen-sinh/[0-9a-f-]\{36\}"' | head -1 | cut -d'"' -f2)
form=$(curl -s -H "Host: $HOST" "http://127.0.0.1:$PORT$plan/dang-ky")
school=$(grep -o '<option value="[0-9a-f-]\{36\}">Trường THPT Chu Văn An' <<<"$form" | head -1 | cut -d'"' -f2)
zone=$(grep -o '<option value="Tuyến 1[^"]*"' <<<"$form" | head -1 | cut -d'"' -f2 | python3 -c 'import sys, urllib.parse; print(urllib.parse.quote_plus(sys.stdin.read().strip()))')
[[ -n $plan && -n $school && -n $zone ]] || { echo "the demo's joint plan was not found" >&2; exit 1; }
run() {  # run NUMBER PAUSE_MS DURATION
  wrk -t2 -c256 -d"$3" --timeout 10s -s bench/admission.lua "http://127.0.0.1:$PORT" -- "$plan/dang-ky" "$school" "$zone" "$HOST" "$1" "$2" | tail -1
}
run 0 0 3s >/dev/null  # warm-up
number=1
for round in 1 2; do
  healthz=$(wrk -t2 -c256 -d10s "http://127.0.0.1:$PORT/healthz" | awk '/Requests\/sec/ {print $2}')
  for pause in 1100 0; do
    result=$(run "$number" "$pause" 20s)
    number=$((number + 1))
    python3 - "$round" "$pause" "$healthz" "$result" <<'PY'
import json, sys
round_, pause, healthz, r = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), json.loads(sys.argv[4])
mode = "paced (1.1 s between a parent's forms)" if pause else "back to back"
print(f"round {round_}, {mode}: {r['per_second']} receipted registrations/s ({r['receipts']} receipts, {r['refused']} refused, "
      f"{r['errors']} socket errors), p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms; /healthz {healthz:.0f} req/s "
      f"(registrations at {100 * r['per_second'] / healthz:.1f}% of it)")
PY
  done
done
python3 - "$WORK/data/eduportal.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print("journal:", db.execute("PRAGMA journal_mode").fetchone()[0], "(synchronous FULL is the server's setting, asserted in tests); registrations stored:",
      db.execute("SELECT count(*) FROM admission_registrations").fetchone()[0], "; distinct children:",
      db.execute("SELECT count(DISTINCT pupil_key) FROM admission_registrations").fetchone()[0])
PY
