#!/usr/bin/env bash
# Through the shipped nginx site (deploy/nginx/eduportal.conf: TLS, HTTP/2-capable, the proxy cache),
# each answer beside nginx serving the same bytes as a plain file from the same server block:
#   1. a public article page (the application behind the proxy cache);
#   2. a candidate's result from the files `eduportal publish-static` wrote (nginx's maps name the
#      file; its lookup limits are on, at a rate this run never reaches).
#   bench/nginx.sh     (builds release if needed; needs wrk, nginx-light, openssl)
# ROUNDS (5) rounds of each answer then its file, DURATION (10s) each.
# Prints a Markdown table for the README and writes it to bench/out/nginx.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-48}   # the shipped site allows 64 connections per address
for tool in wrk nginx openssl; do command -v $tool >/dev/null || { echo "$tool is missing: apt-get install wrk nginx-light openssl" >&2; exit 1; }; done
# BIN=path/to/a/release/eduportal to use a build made elsewhere.
if [[ -z "${BIN:-}" ]]; then
  [[ -x .build/release/eduportal ]] || swift build -c release --product eduportal
  BIN=.build/release/eduportal
fi

WORK_PREFIX=eduportal-bench-nginx
source bench/lib.sh

APP_PORT=$(free_port)
serve_demo "$APP_PORT"
EDUPORTAL_LOOKUP_RATE_LIMIT=100000000 "$BIN" publish-static --data "$WORK/data" --out "$WORK/static" >"$WORK/publish.log"
EXAM=$(curl -fs -H 'Host: localhost' "http://127.0.0.1:$APP_PORT/api/v1/exams" | python3 -c 'import json,sys; print(json.load(sys.stdin)["exams"][0]["id"])')
ARTICLE=$(curl -fs -H 'Host: localhost' "http://127.0.0.1:$APP_PORT/tin-tuc" | grep -o 'href="/bai-viet/[^"]*"' | head -1 | sed 's/href="//; s/"$//')
RESULT="/tra-cuu-diem-thi/ket-qua?ky=$EXAM&sbd=270001&ngay-sinh=15/03/2011"

# The shipped site, pointed at this machine: certificate, ports, paths; the static snippet included.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1
TLS_PORT=$(free_port); PLAIN_PORT=$(free_port)
mkdir -p "$WORK/www" "$WORK/logs"
sed -e "s#listen 443 ssl http2;#listen 127.0.0.1:$TLS_PORT ssl http2;#; /listen \[::\]:443/d; s#listen 80;#listen 127.0.0.1:$PLAIN_PORT;#; /listen \[::\]:80;/d" \
    -e "s#127.0.0.1:8080#127.0.0.1:$APP_PORT#; s#127.0.0.1:8081#127.0.0.1:$APP_PORT#" \
    -e "s#/etc/letsencrypt/live/ninhbinh.edu.vn/fullchain.pem#$WORK/cert.pem#; s#/etc/letsencrypt/live/ninhbinh.edu.vn/privkey.pem#$WORK/key.pem#" \
    -e "s#/var/cache/nginx/eduportal#$WORK/cache#; s#/var/log/nginx/#$WORK/logs/#g; s#ssl_stapling on;#ssl_stapling off;#; s#ssl_stapling_verify on;#ssl_stapling_verify off;#" \
    -e "s#/var/lib/eduportal/static#$WORK/static#g; s@# include $WORK/static/nginx-static@include $WORK/static/nginx-static@" \
    deploy/nginx/eduportal.conf >"$WORK/site.conf"
# The reference: the same bytes as files, from the same TLS server block.
python3 - "$WORK/site.conf" "$WORK/www" <<'PY'
import sys
path, www = sys.argv[1], sys.argv[2]
text = open(path).read()
marker = "    location = /metrics { return 404; }"
assert marker in text
text = text.replace(marker, marker + f"\n    location /ban-sao/ {{ alias {www}/; }}"
                    + f"\n    location /ban-sao-giu/ {{ alias {www}/; open_file_cache max=100000 inactive=60s; open_file_cache_valid 10s; }}")
open(path, "w").write(text)
PY
[[ $(grep -c "^ *include $WORK/static/nginx-static" "$WORK/site.conf") == 2 ]] || { echo "the static includes were not enabled" >&2; exit 1; }
cat >"$WORK/nginx.conf" <<CONF
worker_processes auto;
pcre_jit on;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  sendfile on;
  include $WORK/site.conf;
}
CONF
nginx -t -q -c "$WORK/nginx.conf"
nginx -c "$WORK/nginx.conf"
sleep 0.5
BASE="https://127.0.0.1:$TLS_PORT"
curl -fsk -H 'Host: localhost' "$BASE$ARTICLE" -o "$WORK/www/article.html"
curl -fsk -H 'Host: localhost' "$BASE$RESULT" -D "$WORK/result.headers" -o "$WORK/www/result.html"
grep -qi "x-served-from: static" "$WORK/result.headers" || { echo "the result did not come from the files" >&2; exit 1; }
for _ in 1 2 3; do curl -fsk -o /dev/null -H 'Host: localhost' "$BASE$ARTICLE"; done
curl -sk -D - -o /dev/null -H 'Host: localhost' "$BASE$ARTICLE" | grep -qi "x-proxy-cache: HIT" || { echo "the article is not served from nginx's cache" >&2; exit 1; }

ROUNDS=${ROUNDS:-5}
# paired A B: ROUNDS rounds of A then B (pairing keeps the ratio honest while the machine's speed
# drifts); MEDIAN_A, MEDIAN_B: each one's median run; RATIO: the median of the rounds' A/B.
paired() {
  local -a a=() b=() ratios=()
  local round x y middle
  for round in $(seq 1 "$ROUNDS"); do
    x=$(wrk_run "$1"); y=$(wrk_run "$2")
    a+=("$x"); b+=("$y")
    ratios+=("$(python3 -c "print(float('${x%%|*}') / float('${y%%|*}'))")")
  done
  middle=$(( (ROUNDS + 1) / 2 ))
  MEDIAN_A=$(printf '%s\n' "${a[@]}" | sort -t'|' -k1 -n | sed -n "${middle}p")
  MEDIAN_B=$(printf '%s\n' "${b[@]}" | sort -t'|' -k1 -n | sed -n "${middle}p")
  RATIO=$(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "${middle}p" | xargs printf '%.2f')
  RATIOS=$(printf '%s\n' "${ratios[@]}" | xargs printf '%.2f ' | sed 's/ $//')
}
paired "$BASE$ARTICLE" "$BASE/ban-sao/article.html"; PAGE=$MEDIAN_A; PAGE_FILE=$MEDIAN_B; PAGE_RATIO=$RATIO; PAGE_RATIOS=$RATIOS
paired "$BASE$ARTICLE" "$BASE/ban-sao-giu/article.html"; PAGE2=$MEDIAN_A; PAGE_FILE2=$MEDIAN_B; PAGE_RATIO2=$RATIO; PAGE_RATIOS2=$RATIOS
paired "$BASE$RESULT" "$BASE/ban-sao/result.html"; HIT=$MEDIAN_A; HIT_FILE=$MEDIAN_B; HIT_RATIO=$RATIO; HIT_RATIOS=$RATIOS
paired "$BASE$RESULT" "$BASE/ban-sao-giu/result.html"; HIT2=$MEDIAN_A; HIT_FILE2=$MEDIAN_B; HIT_RATIO2=$RATIO; HIT_RATIOS2=$RATIOS
mkdir -p bench/out
{
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores: $ROUNDS rounds of wrk -t2 -c$CONNECTIONS -d$DURATION over TLS on loopback to the shipped nginx site (server, nginx and wrk share the cores); article $(wc -c <"$WORK/www/article.html") bytes, result page $(wc -c <"$WORK/www/result.html") bytes; each round runs the answer, then the file; the table gives each one's median run and the median of the rounds' ratios."
  echo
  echo "| what | req/s | p50 | p99 | errors |"
  echo "|---|---|---|---|---|"
  IFS='|' read -r r a b e <<<"$PAGE"; echo "| article page through the shipped site (proxy cache) | $r | $a | $b | $e |"
  IFS='|' read -r r a b e <<<"$PAGE_FILE"; echo "| the same bytes as a file | $r | $a | $b | $e |"
  IFS='|' read -r r a b e <<<"$PAGE2"; echo "| the article again (second pair) | $r | $a | $b | $e |"
  IFS='|' read -r r a b e <<<"$PAGE_FILE2"; echo "| the same bytes as a file, open files kept as the site keeps the cache's | $r | $a | $b | $e |"
  IFS='|' read -r r a b e <<<"$HIT"; echo "| a candidate's result from publish-static files (nginx maps, limits on) | $r | $a | $b | $e |"
  IFS='|' read -r r a b e <<<"$HIT_FILE"; echo "| the same bytes as a file | $r | $a | $b | $e |"
  IFS='|' read -r r a b e <<<"$HIT2"; echo "| the result again (fourth pair) | $r | $a | $b | $e |"
  IFS='|' read -r r a b e <<<"$HIT_FILE2"; echo "| the same bytes as a file, open files kept as the result's location keeps them | $r | $a | $b | $e |"
  echo
  echo "Article page: **$PAGE_RATIO** of the plain file's rate (rounds: $PAGE_RATIOS), **$PAGE_RATIO2** of the file with open files kept (rounds: $PAGE_RATIOS2); result from files: **$HIT_RATIO** (rounds: $HIT_RATIOS) of the plain file, **$HIT_RATIO2** (rounds: $HIT_RATIOS2) of the file with open files kept."
} | tee bench/out/nginx.md
