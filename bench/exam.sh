#!/usr/bin/env bash
# Result day in one run on one machine (release build):
#   1. generate a 1.1-million-candidate results file (bench/gen_exam.py),
#   2. import it with `eduportal exam import` on SQLite while the server runs: time and peak memory,
#   3. lookups at 256 connections with random valid and invalid keys (wrk + Lua), beside the bare
#      /healthz and nginx serving a static file of the same size as a result; server memory.
#   bench/exam.sh   (needs wrk, nginx, /usr/bin/time: apt-get install wrk nginx-light time)
# Prints a Markdown table and writes it to bench/out/exam.md.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-1100000}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-256}
for tool in wrk nginx python3; do command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }; done
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }
# BIN=path/to/a/release/eduportal to use a build made elsewhere.
if [[ -z "${BIN:-}" ]]; then
  swift build -c release --product eduportal >/dev/null
  BIN=$PWD/.build/release/eduportal
fi

WORK_PREFIX=eduportal-exam
source bench/lib.sh

echo "generating $COUNT candidates…" >&2
python3 bench/gen_exam.py --count "$COUNT" --out "$WORK/ket-qua.csv" --keys "$WORK/keys.txt" >&2
FILE_MB=$(python3 -c "import os; print(round(os.path.getsize('$WORK/ket-qua.csv') / 1e6))")

# The demo creates the province; the production command serves it, without a lookup limit, with
# the dedicated lookup listener on its own port.
APP_PORT=$(free_port)
LOOKUP_PORT=$(free_port)
serve_demo "$APP_PORT" EDUPORTAL_LOOKUP_RATE_LIMIT=0 EDUPORTAL_LOOKUP_PORT="$LOOKUP_PORT" EDUPORTAL_LOOKUP_HOST=127.0.0.1

# The import, from the command line, while the server runs.
echo "importing…" >&2
/usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$BIN" exam import --data "$WORK/data" --unit so-ninh-binh \
  --session "Kỳ thi tốt nghiệp THPT năm 2026" --kind tot-nghiep-thpt --publish-now "$WORK/ket-qua.csv" >"$WORK/import.log" 2>&1
read -r IMPORT_S IMPORT_KB <"$WORK/time.txt"
grep -v '^20' "$WORK/import.log" | tail -1 >&2

# The running server picks the new version up by itself.
ID=""
for _ in $(seq 1 60); do
  ID=$(curl -fs -H 'Host: localhost' "http://127.0.0.1:$APP_PORT/api/v1/exams" | python3 -c 'import json,sys; e=[x for x in json.load(sys.stdin)["exams"] if x["name"].startswith("Kỳ thi tốt nghiệp")]; print(e[0]["id"] if e else "")')
  [[ -n "$ID" ]] && break
  sleep 0.5
done
[[ -n "$ID" ]] || { echo "the server never showed the imported session" >&2; exit 1; }
read -r SBD BIRTH < <(head -1 "$WORK/keys.txt")
mkdir -p "$WORK/www"
curl -fs -H 'Host: localhost' "http://127.0.0.1:$APP_PORT/api/v1/exams/$ID/results?sbd=$SBD&ngay-sinh=$BIRTH" -o "$WORK/www/result.json"
BYTES=$(wc -c <"$WORK/www/result.json")

cat >"$WORK/lookup.lua" <<'LUA'
local paths = {}
local id = os.getenv("EXAM_ID")
for line in io.lines(os.getenv("KEYS")) do
  local sbd, d = line:match("(%S+) (%S+)")
  paths[#paths + 1] = "/api/v1/exams/" .. id .. "/results?sbd=" .. sbd .. "&ngay-sinh=" .. d
end
local counter = 0
function setup(thread) counter = counter + 1; thread:set("seed", counter) end
function init(args) math.randomseed(seed * 7919 + os.time()) end
function request() return wrk.format("GET", paths[math.random(#paths)]) end
LUA

start_nginx application/json

run() {  # url [lua] → "rps|p50|p99|non2xx|socket errors"
  local out
  if [[ $# -gt 1 ]]; then
    out=$(EXAM_ID=$ID KEYS=$WORK/keys.txt wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H 'Host: localhost' -s "$2" "$1")
  else
    out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H 'Host: localhost' "$1")
  fi
  local rps p50 p99 non2xx socket total
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  total=$(awk '/requests in/ {print $1}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  socket=$(grep -E 'Socket errors' <<<"$out" | sed 's/^ *//' || true)
  echo "$rps|$p50|$p99|${non2xx:-0} of $total|${socket:-none}"
}

echo "measuring…" >&2
# Warm up both paths first (the freshly loaded snapshot's pages, the allocator), then measure.
DURATION=5s run "http://127.0.0.1:$LOOKUP_PORT" "$WORK/lookup.lua" >/dev/null
DURATION=5s run "http://127.0.0.1:$APP_PORT" "$WORK/lookup.lua" >/dev/null
DURATION=5s run "http://127.0.0.1:$APP_PORT/healthz" >/dev/null
LISTENER=$(run "http://127.0.0.1:$LOOKUP_PORT" "$WORK/lookup.lua")
LOOKUP=$(run "http://127.0.0.1:$APP_PORT" "$WORK/lookup.lua")
RSS_KB=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")
HEALTH=$(run "http://127.0.0.1:$APP_PORT/healthz")
NGINX=$(run "http://127.0.0.1:$NGINX_PORT/result.json")
# The same lookups at a quarter of the connections, for the latency a lighter load sees.
LOOKUP64=$(CONNECTIONS=64 run "http://127.0.0.1:$APP_PORT" "$WORK/lookup.lua")

ratio() { python3 -c "print(f'{float(\"${1%%|*}\") / float(\"${2%%|*}\") * 100:.0f}%')"; }
mkdir -p bench/out
{
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, release build, SQLite; wrk -t2 -d$DURATION on loopback (server and wrk share the cores)."
  echo
  echo "| what | figure |"
  echo "|---|---|"
  echo "| import of $COUNT candidates ($FILE_MB MB CSV) with \`eduportal exam import\`, server running | **${IMPORT_S} s**, peak memory $((IMPORT_KB / 1024)) MB |"
  echo "| server resident memory with the $COUNT candidates loaded, after the lookup run | $((RSS_KB / 1024)) MB |"
  echo
  echo "| at $CONNECTIONS connections | req/s | p50 | p99 | non-2xx | socket errors |"
  echo "|---|---|---|---|---|---|"
  IFS='|' read -r r a b n e <<<"$LISTENER"; echo "| lookups through the dedicated listener, random keys (half valid; half unknown SBD or wrong date → 404) | $r | $a | $b | $n | $e |"
  IFS='|' read -r r a b n e <<<"$LOOKUP"; echo "| the same lookups through the main server | $r | $a | $b | $n | $e |"
  IFS='|' read -r r a b n e <<<"$HEALTH"; echo "| bare /healthz | $r | $a | $b | $n | $e |"
  IFS='|' read -r r a b n e <<<"$NGINX"; echo "| nginx, a static file of the same $BYTES bytes | $r | $a | $b | $n | $e |"
  IFS='|' read -r r a b n e <<<"$LOOKUP64"; echo "| lookups, random keys, at 64 connections | $r | $a | $b | $n | $e |"
  echo
  echo "Lookups through the listener run at **$(ratio "$LISTENER" "$HEALTH")** of the main server's bare /healthz rate and $(ratio "$LISTENER" "$NGINX") of nginx's rate on the same bytes; through the main server at $(ratio "$LOOKUP" "$HEALTH") of /healthz."
} | tee bench/out/exam.md
