#!/usr/bin/env bash
# Search at scale (#19 point 3), on SQLite and on PostgreSQL in one run: the demo province, then
# `eduportal bench search-data` fills the Sở with ITEMS published articles and documents of
# generated Vietnamese text and adds UNITS schools below it with PER_UNIT each (the same data on
# both backends). The server (`serve`) answers eight queries (one and three words, common and
# rare, with and without diacritics), each in the Sở's own search and in the province-wide search
# (`pham-vi=tat-ca`) and in a commune office's subtree, at CONNECTIONS connections with wrk, beside /healthz in the same run; then
# every query's first page is compared between the backends (paths in order, and the count).
#   bench/search.sh   (needs wrk, PostgreSQL server binaries; builds release or takes BIN=)
# Prints a Markdown table and writes it to bench/out/search.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ITEMS=${ITEMS:-100000}
UNITS=${UNITS:-200}
PER_UNIT=${PER_UNIT:-500}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-5s}
for tool in wrk python3 curl; do command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }; done
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$PG_BIN/initdb" ]] || { echo "PostgreSQL server binaries are missing: apt-get install postgresql" >&2; exit 1; }
if [[ -z "${BIN:-}" ]]; then
  swift build -c release --product eduportal >/dev/null
  BIN=$PWD/.build/release/eduportal
fi
WORK_PREFIX=eduportal-search
source bench/lib.sh

# PostgreSQL in the work folder, stopped on exit with the rest.
start_postgres eduportal_search

QUERIES=("học" "hoc" "học sinh giỏi" "hoc sinh gioi" "Quỳnh" "quynh" "rau thủy canh" "rau thuy canh")
LABELS=("1 word, common" "1 word, common, no marks" "3 words, common" "3 words, common, no marks"
        "1 word, rare" "1 word, rare, no marks" "3 words, rare" "3 words, rare, no marks")
# Where each scope asks: the Sở's own search, the province-wide search at the Sở, and a commune
# office's search over its own subtree (its schools among the province's hundreds of units).
COMMUNE_HOST=phong-vhxh-gia-vien.localhost
SCOPES=(unit province commune)
scope_host() { [[ $1 == commune ]] && echo "$COMMUNE_HOST" || echo localhost; }
scope_label() { case $1 in unit) echo "the Sở";; province) echo "province-wide";; commune) echo "a commune office's subtree";; esac; }
encode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]))' "$1"; }

cat >"$WORK/paths.lua" <<'LUA'
-- Each request the next path of the file (every query in turn). With UNCACHED=1 every request
-- carries a parameter of its own, so no two share a cached page: each one runs the search.
local paths = {}
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local uncached = os.getenv("UNCACHED") == "1"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local i, n = 0, 0
request = function()
  i = i % #paths + 1
  n = n + 1
  local path = paths[i]
  if uncached then path = path .. "&lan=" .. tostring(tid) .. "-" .. tostring(n) end
  return wrk.format("GET", path)
end
LUA

# Until a new search that finds nothing answers within 0.2 s three times running: it passes the
# same queue as the others (the search gate), so the backlog of the last run has drained.
wait_idle() {
  local fast=0 n=0
  for _ in $(seq 1 600); do
    n=$((n + 1))
    local t; t=$(curl -fs -o /dev/null -w '%{time_total}' -H 'Host: localhost' "http://127.0.0.1:$1/tim-kiem?q=zzidle&lan=idle-$RANDOM-$n" || echo 9)
    if awk -v t="$t" 'BEGIN { exit !(t < 0.2) }'; then fast=$((fast + 1)); else fast=0; fi
    (( fast >= 3 )) && return 0
    sleep 0.5
  done
}

run_backend() {
  local backend=$1 url=$2 port
  port=$(free_port)
  local data="$WORK/data-$backend"
  echo "$backend: the demo province, $ITEMS items at the Sở, $UNITS schools with $PER_UNIT each…" >&2
  fill_search_data "$data" "$port" "$url" --items "$ITEMS" --units "$UNITS" --per-unit "$PER_UNIT"
  env EDUPORTAL_WORKER=0 ${url:+DATABASE_URL=$url} "$BIN" serve --data "$data" --hostname 127.0.0.1 --port "$port" >"$WORK/serve-$backend.log" 2>&1 &
  PIDS+=("$!")
  wait_up "$port"
  local healthz unit_row province_row
  for i in "${!QUERIES[@]}"; do
    local q; q=$(encode "${QUERIES[$i]}")
    echo "/tim-kiem?q=$q" >"$WORK/unit-$i.txt"
    echo "/tim-kiem?q=$q&pham-vi=tat-ca" >"$WORK/province-$i.txt"
    echo "/tim-kiem?q=$q&pham-vi=tat-ca" >"$WORK/commune-$i.txt"
    # The first page of each, for the comparison between backends.
    for scope in "${SCOPES[@]}"; do
      curl -fs -H "Host: $(scope_host "$scope")" "http://127.0.0.1:$port$(cat "$WORK/$scope-$i.txt")" >"$WORK/$backend-$scope-$i.html"
    done
  done
  healthz=$(wrk_run "http://127.0.0.1:$port/healthz")
  echo "| $backend | /healthz | — | $healthz |" >>"$WORK/table.md"
  # Every repeated run first; then the uncached ones, each followed by a wait until the server
  # is idle again (an uncached run leaves up to 64 searches queued when wrk stops, and a run that
  # starts behind them measures the queue).
  for mode in repeated uncached; do
    for i in "${!QUERIES[@]}"; do
      for scope in "${SCOPES[@]}"; do
        local out rps p50 p99 errors
        out=$(PATHS="$WORK/$scope-$i.txt" UNCACHED=$([[ $mode == uncached ]] && echo 1 || echo 0) \
          wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/paths.lua" -H "Host: $(scope_host "$scope")" "http://127.0.0.1:$port")
        rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
        p50=$(awk '$1=="50%" {print $2}' <<<"$out")
        p99=$(awk '$1=="99%" {print $2}' <<<"$out")
        errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)
        echo "| $backend | ${LABELS[$i]} «${QUERIES[$i]}», $(scope_label "$scope") | $mode | $rps|$p50|$p99|${errors:-none} |" >>"$WORK/table.md"
        if [[ $mode == uncached ]]; then wait_idle "$port"; fi
      done
    done
  done
  # One request at a time, each a new search: what one search costs without waiting for others.
  for i in "${!QUERIES[@]}"; do
    for scope in "${SCOPES[@]}"; do
      local q; q=$(head -1 "$WORK/$scope-$i.txt")
      local times=()
      for n in $(seq 1 15); do
        times+=("$(curl -fs -o /dev/null -w '%{time_total}' -H "Host: $(scope_host "$scope")" "http://127.0.0.1:$port$q&lan=alone-$n")")
      done
      echo "$backend|${LABELS[$i]} «${QUERIES[$i]}»|$scope|$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f ms", a[int((NR+1)/2)]*1000}')" >>"$WORK/alone.txt"
    done
  done
  kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
}

: >"$WORK/table.md"; : >"$WORK/alone.txt"
run_backend sqlite ""
run_backend postgresql "$PG_URL"

mkdir -p bench/out
{
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores: $ITEMS items at the Sở, $UNITS schools × $PER_UNIT, $CONNECTIONS connections, $DURATION each; server: $BIN"
  echo
  echo "Repeated: every request the same query (served from the search page cache after the first)."
  echo "Uncached: every request a new query string (each runs the search in the database)."
  echo
  echo "| backend | query | requests | req/s | p50 | p99 | errors |"
  echo "|---|---|---|---|---|---|---|"
  cat "$WORK/table.md"
  echo
  echo "One search alone, median of 15 (each a new query string):"
  echo
  echo "| backend | query | scope | time |"
  echo "|---|---|---|---|"
  awk -F'|' '{printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4}' "$WORK/alone.txt"
  echo
  python3 - "$WORK" "${#QUERIES[@]}" <<'PY'
import re, sys
work, count = sys.argv[1], int(sys.argv[2])
def read(backend, scope, i):
    html = open(f"{work}/{backend}-{scope}-{i}.html", encoding="utf-8").read()
    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    found = re.search(r"((?:Hơn )?\d[\d.]*) kết quả", main)
    return (found.group(1) if found else "?"), re.findall(r'<h2[^>]*><a href="([^"]+)"', main)
same = 0
for i in range(count):
    for scope in ("unit", "province", "commune"):
        a, b = read("sqlite", scope, i), read("postgresql", scope, i)
        if a == b:
            same += 1
        else:
            print(f"differs: query {i} {scope}: SQLite {a[0]} {a[1][:3]} / PostgreSQL {b[0]} {b[1][:3]}")
        print(f"query {i} {scope}: {a[0]} results, first page {len(a[1])} links")
print(f"{same} of {3 * count} first pages identical on both backends")
PY
} | tee bench/out/search.md
