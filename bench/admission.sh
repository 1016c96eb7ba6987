#!/usr/bin/env bash
# Durable online registrations per second (#13): 256 concurrent parents post complete forms to
# the release server on SQLite (WAL, synchronous=FULL: a receipt means the row is on disk),
# beside wrk on the same server's bare /healthz in the same run. Two rounds; the load
# generator (bench/admission_load.py, Python threads) runs on the same machine.
#
#   bench/admission.sh            (needs the release build and wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/eduportal}
[[ -x $BIN ]] || { echo "build the release first: swift build -c release --product eduportal" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
WORK_PREFIX=eduportal-admission-bench
source bench/lib.sh
COUNT=${COUNT:-6000}
PORT=$(free_port)
serve_demo "$PORT" EDUPORTAL_LOOKUP_RATE_LIMIT=0 EDUPORTAL_LOOKUP_PORT=0 EDUPORTAL_MAIL_POLICY_PORT=0
python3 bench/admission_load.py --port "$PORT" --count 300 --concurrency 32 --codes "$WORK/warm.txt" >/dev/null
for round in 1 2; do
  healthz=$(wrk -t2 -c256 -d10s "http://127.0.0.1:$PORT/healthz" | awk '/Requests\/sec/ {print $2}')
  load=$(python3 bench/admission_load.py --port "$PORT" --count "$COUNT" --concurrency 256 --codes "$WORK/codes-$round.txt")
  python3 - "$round" "$healthz" "$load" <<'PY'
import json, sys
round_, healthz, load = sys.argv[1], float(sys.argv[2]), json.loads(sys.argv[3])
print(f"round {round_}: {load['per_second']} receipted registrations/s ({load['receipts']} of {load['sent']}, "
      f"{load['refused']} refused, {load['failed']} failed), p50 {load['p50_ms']} ms, p99 {load['p99_ms']} ms; "
      f"/healthz {healthz:.0f} req/s; registrations at {100 * load['per_second'] / healthz:.1f}% of /healthz")
PY
done
python3 - "$WORK/data/eduportal.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print("synchronous:", db.execute("PRAGMA synchronous").fetchone()[0], "(a new connection's default; the server sets FULL),",
      "journal:", db.execute("PRAGMA journal_mode").fetchone()[0], "; rows:", db.execute("SELECT count(*) FROM admission_registrations").fetchone()[0])
PY
