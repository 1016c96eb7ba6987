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

WORK_PREFIX=eduportal-bench
source bench/lib.sh

# The demo creates the data; the production command serves it.
APP_PORT=$(free_port)
serve_demo "$APP_PORT"

# The newest article of the Sở, as a parent on a phone would open it.
ARTICLE=$(curl -fs -H 'Host: localhost' "http://127.0.0.1:$APP_PORT/tin-tuc" | grep -o 'href="/bai-viet/[^"]*"' | head -1 | sed 's/href="//; s/"$//')
mkdir -p "$WORK/www"
curl -fs -H 'Host: localhost' "http://127.0.0.1:$APP_PORT$ARTICLE" -o "$WORK/www/article.html"
BYTES=$(wc -c < "$WORK/www/article.html")

start_nginx text/html

# Warm the cache, then measure.
curl -fs -o /dev/null -H 'Host: localhost' "http://127.0.0.1:$APP_PORT$ARTICLE"
APP=$(wrk_run "http://127.0.0.1:$APP_PORT$ARTICLE")
HEALTH=$(wrk_run "http://127.0.0.1:$APP_PORT/healthz")
NGINX=$(wrk_run "http://127.0.0.1:$NGINX_PORT/article.html")

ratio=$(python3 -c "print(f'{float(\"${APP%%|*}\") / float(\"${NGINX%%|*}\") * 100:.0f}%')")
# What counting visits costs a cached page: the same page asked with a phone browser's
# User-Agent (each request counted, `VisitMiddleware`) and without one (not counted), in
# alternating pairs; the median of the pairs' ratios.
PHONE='Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36'
VISIT_RATIOS=()
for _ in 1 2 3; do
  plain=$(wrk_run "http://127.0.0.1:$APP_PORT$ARTICLE")
  counted=$(wrk_run "http://127.0.0.1:$APP_PORT$ARTICLE" localhost "$PHONE")
  VISIT_RATIOS+=("$(python3 -c "print(float('${counted%%|*}') / float('${plain%%|*}'))")")
  VISIT_LAST=$counted
done
VISIT_RATIO=$(printf '%s\n' "${VISIT_RATIOS[@]}" | sort -n | sed -n 2p)

mkdir -p bench/out
{
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, wrk -t2 -c$CONNECTIONS -d$DURATION on loopback (server and wrk share the cores); article page of $BYTES bytes."
  echo
  echo "| what | req/s | p50 | p99 | errors |"
  echo "|---|---|---|---|---|"
  IFS='|' read -r r a b e <<<"$APP"; echo "| EduPortal, cached article page | $r | $a | $b | $e |"
  IFS='|' read -r r a b e <<<"$NGINX"; echo "| nginx, the same bytes as a static file | $r | $a | $b | $e |"
  IFS='|' read -r r a b e <<<"$HEALTH"; echo "| EduPortal, bare /healthz | $r | $a | $b | $e |"
  IFS='|' read -r r a b e <<<"$VISIT_LAST"; echo "| EduPortal, cached article page, a phone's User-Agent (every request counted as a visit; last of 3 runs) | $r | $a | $b | $e |"
  echo
  echo "EduPortal's cached article page runs at **$ratio** of nginx's rate on the same bytes."
  echo "Counting each request as a visit: **$(python3 -c "print(f'{float(\"$VISIT_RATIO\") * 100:.0f}%')")** of the rate of the same page not counted (median of 3 alternating pairs: $(printf '%s ' "${VISIT_RATIOS[@]}"))."
} | tee bench/out/pages.md
