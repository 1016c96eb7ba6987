#!/usr/bin/env bash
# The reliability check of online admission (#13): 1,000 registrations from 500 concurrent
# parents, the server killed with SIGKILL after 300 receipts, restarted; then every tracking
# code a parent received must be stored exactly once, with its choices, answered by the
# restarted server, and the database must pass its integrity check (SQLite: PRAGMA
# integrity_check; PostgreSQL: amcheck over every B-tree index). Runs on SQLite, then on a
# PostgreSQL cluster of its own in the temporary folder (skipped, and said, without one).
#
#   bench/admission-kill.sh            (BIN defaults to the release build, else the debug one)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/eduportal}
[[ -x $BIN ]] || BIN=$(swift build --show-bin-path)/eduportal
WORK_PREFIX=eduportal-admission
source bench/lib.sh
COUNT=${COUNT:-1000}
CONCURRENCY=${CONCURRENCY:-500}
KILL_AFTER=${KILL_AFTER:-300}
QUIET=(EDUPORTAL_LOOKUP_RATE_LIMIT=0 EDUPORTAL_LOOKUP_PORT=0 EDUPORTAL_MAIL_POLICY_PORT=0 EDUPORTAL_WORKER=0)

# run BACKEND DATA ENV…: demo, serve, load with a kill, restart, verify.
run() {
  local backend=$1 data=$2; shift 2
  local port; port=$(free_port)
  env "${QUIET[@]}" "$@" "$BIN" demo --data "$data" --port "$port" >"$WORK/demo-$backend.log" 2>&1 &
  local demo=$!
  wait_up "$port"
  kill "$demo"; wait "$demo" 2>/dev/null || true
  env "${QUIET[@]}" "$@" "$BIN" serve --data "$data" --hostname 127.0.0.1 --port "$port" >"$WORK/serve-$backend.log" 2>&1 &
  local server=$!
  wait_up "$port"
  local load
  load=$(python3 bench/admission_load.py --port "$port" --count "$COUNT" --concurrency "$CONCURRENCY" \
    --codes "$WORK/codes-$backend.txt" --kill-pid "$server" --kill-after "$KILL_AFTER")
  wait "$server" 2>/dev/null || true
  env "${QUIET[@]}" "$@" "$BIN" serve --data "$data" --hostname 127.0.0.1 --port "$port" >"$WORK/restart-$backend.log" 2>&1 &
  local restarted=$!
  PIDS+=("$restarted")
  wait_up "$port"
  python3 - "$backend" "$data" "$port" "$WORK/codes-$backend.txt" "$load" "${PG_URL:-}" <<'PY'
import http.client, json, sqlite3, subprocess, sys
backend, data, port, codes_file, load, pg = sys.argv[1:7]
load = json.loads(load)
codes = [line.strip() for line in open(codes_file) if line.strip()]
assert load["killed"], f"the server was not killed: {load}"
assert len(codes) == load["receipts"] and len(set(codes)) == len(codes), "a tracking code was handed out twice"
if backend == "SQLite":
    db = sqlite3.connect(f"{data}/eduportal.sqlite")
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    rows = db.execute("SELECT tracking_code, count(*), (SELECT count(*) FROM admission_choices c WHERE c.registration_id = r.id) "
                      "FROM admission_registrations r GROUP BY tracking_code").fetchall()
else:
    def psql(sql):
        return subprocess.run(["psql", pg, "-At", "-F", "|", "-c", sql], check=True, capture_output=True, text=True).stdout
    psql("CREATE EXTENSION IF NOT EXISTS amcheck")
    psql("SELECT bt_index_check(c.oid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
         "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = 'public'")
    integrity = "ok"
    rows = [tuple(line.split("|")[:1]) + tuple(int(x) for x in line.split("|")[1:]) for line in psql(
        "SELECT tracking_code, count(*), (SELECT count(*) FROM admission_choices c WHERE c.registration_id = min(r.id::text)::uuid) "
        "FROM admission_registrations r GROUP BY tracking_code").splitlines()]
stored = {code: (count, choices) for code, count, choices in rows}
missing = [c for c in codes if c not in stored]
doubled = [c for c in codes if c in stored and stored[c][0] != 1]
bare = [c for c in codes if c in stored and stored[c][1] < 1]
assert integrity == "ok", f"integrity check: {integrity}"
assert not missing, f"{len(missing)} receipted registrations are missing after the restart: {missing[:5]}"
assert not doubled and not bare, f"stored more than once: {doubled[:5]}; without choices: {bare[:5]}"
# The restarted server answers for them (a sample), by code and birth date.
connection = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
answered = 0
for code in codes[:: max(1, len(codes) // 20)]:
    connection.request("GET", f"/tuyen-sinh/tra-cuu?ma={code}", headers={"Host": "thpt-chu-van-an.localhost"})
    connection.getresponse().read()
    answered += 1
print(f"{backend}: {load['sent']} sent by {load['seconds']} s, server killed with SIGKILL after {load['receipts']} receipts "
      f"({load['refused']} refused, {load['failed']} cut off by the kill); after the restart all {len(codes)} receipted "
      f"registrations are stored exactly once with their choices ({len(stored)} rows in all, the demo's included); "
      f"integrity check ok")
PY
  kill "$restarted" 2>/dev/null; wait "$restarted" 2>/dev/null || true
}

run SQLite "$WORK/data-sqlite" env -u DATABASE_URL

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -x "$PG_BIN/initdb" ]] && id postgres >/dev/null 2>&1; then
  PG_PORT=$(free_port)
  mkdir -p "$WORK/pg"; chown postgres "$WORK" "$WORK/pg"; chmod 700 "$WORK/pg"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg" -U postgres -A trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
    -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
  trap 'runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1; cleanup' EXIT
  runuser -u postgres -- "$PG_BIN/createdb" -h "$WORK" -p "$PG_PORT" admission
  PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/admission?sslmode=disable"
  run PostgreSQL "$WORK/data-pg" DATABASE_URL="$PG_URL"
else
  echo "PostgreSQL: skipped (no server binaries under /usr/lib/postgresql, or no postgres user)"
fi
