#!/usr/bin/env bash
# Cached article-page throughput against nginx serving the same bytes, in one run on one machine.
#   bench/pages.sh            (builds release if needed; needs wrk and nginx: apt-get install wrk nginx-light)
# Prints a Markdown table for the README's benchmark section and writes it to bench/out/pages.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
command -v nginx >/dev/null || { echo "nginx is missing: apt-get install nginx-light" >&2; exit 1; }
[[ -x .build/release/eduportal ]] || swift build -c release --product eduportal
BIN=.build/release/eduportal

WORK=$(mktemp -d /tmp/eduportal-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; done
  [[ -f "$WORK/nginx.pid" ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# The demo creates the data; the production command serves it.
APP_PORT=$(free_port)
EDUPORTAL_WORKER=0 "$BIN" demo --data "$WORK/data" --port "$APP_PORT" >"$WORK/demo.log" 2>&1 &
DEMO=$!
for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$APP_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
kill "$DEMO"; wait "$DEMO" 2>/dev/null || true
EDUPORTAL_WORKER=0 "$BIN" serve --data "$WORK/data" --hostname 127.0.0.1 --port "$APP_PORT" >"$WORK/app.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$APP_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.5; done

# The newest article of the Sở, as a parent on a phone would open it.
ARTICLE=$(curl -fs -H 'Host: localhost' "http://127.0.0.1:$APP_PORT/tin-tuc" | grep -o 'href="/bai-viet/[^"]*"' | head -1 | sed 's/href="//; s/"$//')
mkdir -p "$WORK/www"
curl -fs -H 'Host: localhost' "http://127.0.0.1:$APP_PORT$ARTICLE" -o "$WORK/www/article.html"
BYTES=$(wc -c < "$WORK/www/article.html")

NGINX_PORT=$(free_port)
cat > "$WORK/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  default_type text/html;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
  }
}
CONF
nginx -c "$WORK/nginx.conf"
sleep 0.5

run() {  # name, url, extra header → "rps p50 p99"
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Host: $3" "$2")
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)
  echo "$rps|$p50|$p99|${errors:-none}"
}

# Warm the cache, then measure.
curl -fs -o /dev/null -H 'Host: localhost' "http://127.0.0.1:$APP_PORT$ARTICLE"
APP=$(run app "http://127.0.0.1:$APP_PORT$ARTICLE" localhost)
HEALTH=$(run healthz "http://127.0.0.1:$APP_PORT/healthz" localhost)
NGINX=$(run nginx "http://127.0.0.1:$NGINX_PORT/article.html" localhost)

ratio=$(python3 -c "print(f'{float(\"${APP%%|*}\") / float(\"${NGINX%%|*}\") * 100:.0f}%')")
mkdir -p bench/out
{
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, wrk -t2 -c$CONNECTIONS -d$DURATION on loopback (server and wrk share the cores); article page of $BYTES bytes."
  echo
  echo "| what | req/s | p50 | p99 | errors |"
  echo "|---|---|---|---|---|"
  IFS='|' read -r r a b e <<<"$APP"; echo "| EduPortal, cached article page | $r | $a | $b | $e |"
  IFS='|' read -r r a b e <<<"$NGINX"; echo "| nginx, the same bytes as a static file | $r | $a | $b | $e |"
  IFS='|' read -r r a b e <<<"$HEALTH"; echo "| EduPortal, bare /healthz | $r | $a | $b | $e |"
  echo
  echo "EduPortal's cached article page runs at **$ratio** of nginx's rate on the same bytes."
} | tee bench/out/pages.md
