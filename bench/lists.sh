#!/usr/bin/env bash
# Public lists at scale: the Sở with ITEMS published articles and documents (`eduportal bench
# search-data`, as bench/search.sh fills it; no extra schools), then pages the page cache cannot
# have: each request asks a page number, year or article nobody asked before, so each is rendered
# (what a crawler walking the archive does). Per page type, the median of SAMPLES requests made
# one at a time, beside /healthz asked the same way; then WRK_DURATION of random deep news pages
# at CONNECTIONS connections beside /healthz. SQLite, and PostgreSQL when its server binaries are
# installed (BACKENDS=sqlite: SQLite only). FILLED=<data folder>: a SQLite data folder filled
# before with the same ITEMS (a copy is served; for measuring two builds on the same data).
#   bench/lists.sh   (needs wrk; builds release or takes BIN=)
# Prints a Markdown table and writes it to bench/out/lists.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ITEMS=${ITEMS:-100000}
SAMPLES=${SAMPLES:-15}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-10s}
for tool in wrk python3 curl; do command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }; done
if [[ -z "${BIN:-}" ]]; then
  swift build -c release --product eduportal >/dev/null
  BIN=$PWD/.build/release/eduportal
fi
WORK_PREFIX=eduportal-lists
source bench/lib.sh

read -r -a BACKENDS <<<"${BACKENDS:-sqlite postgresql}"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [[ " ${BACKENDS[*]} " == *" postgresql "* && ! -x "${PG_BIN:-}/initdb" ]]; then
  echo "PostgreSQL's server binaries are missing: measuring SQLite only (apt-get install postgresql)" >&2
  BACKENDS=(sqlite)
fi
PG_URL=""
if [[ " ${BACKENDS[*]} " == *" postgresql "* ]]; then start_postgres eduportal_lists; fi

# The generated items: every 5th a document, the others articles, one every 15 minutes back from
# 1 November 2026 (bench search-data), so pages and years reach back ITEMS/4 hours.
ARTICLE_PAGES=$((ITEMS * 4 / 5 / 20))
DOCUMENT_PAGES=$((ITEMS / 5 / 20))

# paths KIND N: N paths of one kind, each new (a page number, a year's page or an article).
paths() {
  python3 - "$1" "$2" "$ARTICLE_PAGES" "$DOCUMENT_PAGES" "$ITEMS" <<'PY'
import random, sys
kind, n, article_pages, document_pages, items = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(sum(map(ord, kind)))
pages = lambda top: rng.sample(range(2, max(3, top)), min(n, max(1, top - 2)))
if kind == "news":
    out = [f"/tin-tuc?trang={p}" for p in pages(article_pages)]
elif kind == "category":
    out = [f"/tin-tuc/tin-tuc-su-kien?trang={p}" for p in pages(article_pages)]
elif kind == "documents":
    out = [f"/van-ban?trang={p}" for p in pages(document_pages)]
elif kind == "year":
    out = [f"/van-ban?nam={2026 - i % 3}&trang={p}" for i, p in enumerate(pages(document_pages // 4))]
elif kind == "article":
    out = [f"/bai-viet/bai-{k}" for k in rng.sample([k for k in range(items) if k % 5 != 4], n)]
for p in out[:n]: print(p)
PY
}

# alone PORT PATHS…: the median time of the paths asked one at a time.
alone() {
  local port=$1; shift
  local times=()
  for path in "$@"; do
    times+=("$(curl -fs -o /dev/null -w '%{time_total}' -H "Host: localhost" "http://127.0.0.1:$port$path")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f ms", a[int((NR+1)/2)]*1000}'
}

cat >"$WORK/random.lua" <<LUA
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/tin-tuc?trang=" .. math.random(2, $ARTICLE_PAGES))
end
LUA

run_backend() {
  local backend=$1 url=$2 port
  port=$(free_port)
  local data="$WORK/data-$backend"
  [[ $backend == postgresql ]] || url=""
  if [[ $backend == sqlite && -n "${FILLED:-}" ]]; then
    cp -a "$FILLED" "$data"
  else
    echo "$backend: the demo province, $ITEMS items at the Sở…" >&2
    fill_search_data "$data" "$port" "$url" --items "$ITEMS" --units 0
  fi
  env EDUPORTAL_WORKER=0 ${url:+DATABASE_URL=$url} "$BIN" serve --data "$data" --hostname 127.0.0.1 --port "$port" >"$WORK/serve-$backend.log" 2>&1 &
  PIDS+=("$!")
  wait_up "$port"
  # The home page, the feed and the sitemap are asked once each: their first render.
  for path in / /rss.xml /sitemap.xml; do
    echo "| $backend | $path (first render, 1 request) | $(alone "$port" "$path") |" >>"$WORK/table.md"
  done
  local healthz=()
  for _ in $(seq 1 "$SAMPLES"); do healthz+=(/healthz); done
  echo "| $backend | /healthz | $(alone "$port" "${healthz[@]}") |" >>"$WORK/table.md"
  for kind in news category documents year article; do
    mapfile -t list < <(paths "$kind" "$SAMPLES")
    echo "| $backend | $kind: ${list[0]} … (${#list[@]} new pages) | $(alone "$port" "${list[@]}") |" >>"$WORK/table.md"
  done
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/random.lua" -H "Host: localhost" "http://127.0.0.1:$port")
  echo "| $backend | random news pages, $CONNECTIONS connections | $(awk '/Requests\/sec/ {print $2}' <<<"$out") req/s, p50 $(awk '$1=="50%" {print $2}' <<<"$out"), p99 $(awk '$1=="99%" {print $2}' <<<"$out") $(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)|" >>"$WORK/table.md"
  echo "| $backend | /healthz, $CONNECTIONS connections | $(wrk_run "http://127.0.0.1:$port/healthz" localhost | awk -F'|' '{printf "%s req/s, p50 %s, p99 %s", $1, $2, $3}') |" >>"$WORK/table.md"
  kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
}

: >"$WORK/table.md"
for backend in "${BACKENDS[@]}"; do run_backend "$backend" "$PG_URL"; done
mkdir -p bench/out
{
  echo "Public lists of the Sở with $ITEMS items ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores): each request a page not yet rendered."
  echo "Alone: the median of $SAMPLES requests made one at a time."
  echo
  echo "| backend | pages | time |"
  echo "|---|---|---|"
  cat "$WORK/table.md"
} | tee bench/out/lists.md
