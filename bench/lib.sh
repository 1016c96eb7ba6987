# Shared by the bench scripts (sourced): a temporary folder cleaned on exit, free loopback ports,
# the demo data served by the production command, and nginx serving the reference bytes.
# Callers set WORK_PREFIX and BIN first.

WORK=$(mktemp -d "/tmp/${WORK_PREFIX:-eduportal-bench}.XXXXXX")
chmod 755 "$WORK"
PIDS=()
cleanup() {
  # (A process already gone is no failure: under `set -e` a failed kill would end the script with 1.)
  for pid in "${PIDS[@]:-}"; do [[ -n "$pid" ]] && { kill "$pid" 2>/dev/null || true; }; done
  [[ -f "$WORK/nginx.pid" ]] && { kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_up() { for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "server did not start" >&2; exit 1; }

# serve_demo PORT [ENV=VALUE…]: creates the demo province in $WORK/data with `demo`, then serves
# it with the production command (its pid joins PIDS).
serve_demo() {
  local port=$1; shift
  EDUPORTAL_WORKER=0 "$BIN" demo --data "$WORK/data" --port "$port" >"$WORK/demo.log" 2>&1 &
  local demo=$!
  wait_up "$port"
  kill "$demo"; wait "$demo" 2>/dev/null || true
  env EDUPORTAL_WORKER=0 "$@" "$BIN" serve --data "$WORK/data" --hostname 127.0.0.1 --port "$port" >"$WORK/app.log" 2>&1 &
  SERVER=$!
  PIDS+=("$SERVER")
  wait_up "$port"
}

# start_nginx CONTENT_TYPE: nginx on a free port (NGINX_PORT) serving $WORK/www.
start_nginx() {
  NGINX_PORT=$(free_port)
  cat >"$WORK/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  default_type $1;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/www; }
}
CONF
  nginx -c "$WORK/nginx.conf"
  sleep 0.5
}

# wrk_run URL [HOST] [USER_AGENT]: one wrk run (CONNECTIONS, DURATION) → "req/s|p50|p99|errors" for a table row.
wrk_run() {
  local out rps p50 p99 errors
  # A third argument is sent as the User-Agent (wrk sends none: the server counts no visit).
  local agent=()
  [[ -n "${3:-}" ]] && agent=(-H "User-Agent: $3")
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Host: ${2:-localhost}" "${agent[@]}" "$1")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)
  echo "$rps|$p50|$p99|${errors:-none}"
}

# start_postgres DBNAME: a PostgreSQL cluster in $WORK on a free port (server binaries in PG_BIN),
# stopped on exit with the rest; the database DBNAME in it; sets PG_PORT and PG_URL.
start_postgres() {
  PG_PORT=$(free_port)
  mkdir -p "$WORK/pg"
  chown postgres "$WORK" "$WORK/pg"; chmod 700 "$WORK/pg"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg" -U postgres -A trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  trap 'runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true; cleanup' EXIT
  runuser -u postgres -- "$PG_BIN/createdb" -h "$WORK" -p "$PG_PORT" "$1"
  PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/$1?sslmode=disable"
}

# fill_search_data DATA PORT DATABASE_URL ARGS…: the demo province in DATA (on PostgreSQL when
# DATABASE_URL is not empty), then `eduportal bench search-data ARGS…` into it.
fill_search_data() {
  local data=$1 port=$2 url=$3; shift 3
  EDUPORTAL_WORKER=0 env ${url:+DATABASE_URL=$url} "$BIN" demo --data "$data" --port "$port" >"$data-demo.log" 2>&1 &
  local demo=$!
  wait_up "$port"; kill "$demo"; wait "$demo" 2>/dev/null || true
  /usr/bin/env ${url:+DATABASE_URL=$url} "$BIN" bench search-data --data "$data" "$@" >&2
}
