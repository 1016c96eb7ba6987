#!/usr/bin/env bash
# No stampede: (1) start the server and at once send 1,024 connections at the Sở's home page
# (every page cold); (2) publish an article through the admin while 256 connections read the
# home page (the unit's content version changes under load). Counts timeouts and errors.
#   bench/stampede.sh     (builds release if needed; needs wrk: apt-get install wrk)
# Prints a Markdown table for the README and writes it to bench/out/stampede.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[[ -x .build/release/eduportal ]] || swift build -c release --product eduportal
BIN=.build/release/eduportal
ulimit -n 65536 2>/dev/null || ulimit -n 8192

WORK_PREFIX=eduportal-stampede
source bench/lib.sh

APP_PORT=$(free_port)
serve_demo "$APP_PORT"
URL="http://127.0.0.1:$APP_PORT/"

wrk_run() {  # connections duration → "rps|p50|p99|timeouts|errors"
  local out
  out=$(wrk -t2 -c"$1" -d"$2" --timeout 5s --latency -H 'Host: localhost' "$URL")
  local rps p50 p99 timeouts errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  timeouts=$(sed -n 's/.*timeout \([0-9]*\).*/\1/p' <<<"$out")
  errors=$(python3 -c '
import re, sys
text = sys.stdin.read()
m = re.search(r"connect (\d+), read (\d+), write (\d+)", text)
n = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print((sum(map(int, m.groups())) if m else 0) + (int(n.group(1)) if n else 0))' <<<"$out")
  echo "$rps|$p50|$p99|${timeouts:-0}|$errors"
}

# 1. Cold start: stop the server, start it again, and at once send 1,024 connections.
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
env EDUPORTAL_WORKER=0 "$BIN" serve --data "$WORK/data" --hostname 127.0.0.1 --port "$APP_PORT" >"$WORK/app2.log" 2>&1 &
SERVER=$!
PIDS+=("$SERVER")
for _ in $(seq 1 400); do curl -fs -o /dev/null "http://127.0.0.1:$APP_PORT/healthz" && break; sleep 0.05; done
COLD=$(wrk_run 1024 10s)

# 2. Publish an article through the admin while 256 connections read the home page.
wrk_run 256 15s >"$WORK/publish.txt" &
WRK=$!
sleep 4
python3 - "$APP_PORT" "$WORK/visible-ms" <<'PUBLISH'
import http.cookiejar, re, sys, urllib.parse, urllib.request
port = sys.argv[1]
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
base = f"http://127.0.0.1:{port}"
def get(path):
    req = urllib.request.Request(base + path, headers={"Host": "localhost"})
    with opener.open(req, timeout=30) as r:
        return r.read().decode()
def post(path, fields, token):
    fields = dict(fields, _csrf=token)
    req = urllib.request.Request(base + path, data=urllib.parse.urlencode(fields).encode(), headers={"Host": "localhost"})
    with opener.open(req, timeout=30) as r:
        return r.read().decode(), r.geturl()
def token(html):
    return re.search(r'name="_csrf" value="([^"]+)"', html).group(1)
page = get("/quan-tri/dang-nhap")
post("/quan-tri/dang-nhap", {"email": "quantri@ninhbinh.edu.vn", "password": "EduPortal@2026"}, token(page))
form = get("/quan-tri/don-vi/so-ninh-binh/bai-viet/moi")
category = re.search(r'<option value="([0-9A-Fa-f-]{36})"', form).group(1)
_, where = post("/quan-tri/don-vi/so-ninh-binh/bai-viet/moi",
                {"title": "Thông báo lịch công bố kết quả tuyển sinh lớp 10", "category": category,
                 "summary": "Sở công bố kết quả lúc 8 giờ.", "body": "<p>Kết quả được công bố trên cổng thông tin.</p>"}, token(form))
path = urllib.parse.urlparse(where).path
for step in ("gui-duyet", "duyet", "dang"):
    html = get(path)
    post(path + "/chuyen-trang-thai", {"transition": step}, token(html))
import time
published = time.time()
while "Thông báo lịch công bố kết quả tuyển sinh lớp 10" not in get("/"):
    assert time.time() - published < 10, "the published article did not reach the home page within 10 s"
    time.sleep(0.05)
with open(sys.argv[2], "w") as out:
    out.write(f"{(time.time() - published) * 1000:.0f}")
PUBLISH
wait "$WRK"
PUBLISH_RUN=$(cat "$WORK/publish.txt")
VISIBLE_MS=$(cat "$WORK/visible-ms")

mkdir -p bench/out
{
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, wrk -t2 --timeout 5s on loopback against the release build (server and wrk share the cores); the Sở's home page of the demo."
  echo
  echo "| what | req/s | p50 | p99 | timeouts | errors |"
  echo "|---|---|---|---|---|---|"
  IFS='|' read -r r a b t e <<<"$COLD"; echo "| cold start, 1,024 connections for 10 s from the moment the server answers | $r | $a | $b | $t | $e |"
  IFS='|' read -r r a b t e <<<"$PUBLISH_RUN"; echo "| 256 connections for 15 s while an article is published through the admin | $r | $a | $b | $t | $e |"
  echo
  echo "The published article was on the home page ${VISIBLE_MS} ms after the last step of the workflow (readers got the previous page meanwhile)."
} | tee bench/out/stampede.md
