#!/usr/bin/env bash
# Rejoinder for the peers' harness, served the way `make demo` serves it:
#   rejoinder serve --bind 127.0.0.1:PORT      (granian in front of Django, production settings)
# with REJOINDER_RATE_LIMITS=0 (the peers' rate limits / anti-spam were off too).
# Data: $PEERS_DIR/rejoinder/data (default /tmp/peers/rejoinder/data): rejoinder.sqlite3 (WAL),
# secret.key, seeded.sqlite3 (snapshot taken after seeding, restored before every run).
# usage: run_rejoinder.sh start|stop|seed|restore|prepare|pid|status
# env:   REJOINDER_PORT (8084)  REJOINDER_SEED_PORT (8094)  REJOINDER_ROOT (project dir)
#        PEERS_HARNESS (dir with seedplan.py/seedhttp.py; default ../shared/peers)
#        any other REJOINDER_* setting is passed through to the server (e.g.
#        REJOINDER_THREAD_CACHE_SECONDS=0 to measure with the thread cache off)
#        BENCH_STREAMS=N: hold N live streams open on the write target's page while measured
#        (bench/live.py --attach), so that every POST is also pushed to N readers
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="${REJOINDER_ROOT:-$(dirname "$HERE")}"
HARNESS="${PEERS_HARNESS:-$ROOT/../shared/peers}"
D="${PEERS_DIR:-/tmp/peers}/rejoinder"; DATA="$D/data"
DB="$DATA/rejoinder.sqlite3"; SNAP="$DATA/seeded.sqlite3"; STAMP="$DATA/seeded.fingerprint"
PORT="${REJOINDER_PORT:-8084}"; SEED_PORT="${REJOINDER_SEED_PORT:-8094}"
PIDF="$D/server.pid"; SEED_PIDF="$D/seed-server.pid"; STREAMS_PIDF="$D/streams.pid"
mkdir -p "$DATA"
# wrk's connections all come from 127.0.0.1: the per-address bound on requests in flight (16)
# would answer most of c64 with 429s.
# The streams of BENCH_STREAMS come from 127.0.0.1 too.
STREAMS="${BENCH_STREAMS:-0}"
export REJOINDER_DATA_DIR="$DATA" REJOINDER_RATE_LIMITS=0 REJOINDER_REQUESTS_PER_ADDRESS=1000 \
  REJOINDER_MAX_STREAMS=$((STREAMS + 100)) REJOINDER_STREAMS_PER_ADDRESS=$((STREAMS + 100)) \
  REJOINDER_ALLOWED_HOSTS="127.0.0.1,localhost" DJANGO_SETTINGS_MODULE=rejoinder.config.settings
BIN="$ROOT/.venv/bin"

# start_bg PIDFILE LOGFILE cmd... : run cmd in its own session (pid = process group id)
start_bg() {
  local pidfile=$1 logfile=$2; shift 2
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "already running (pid $(cat "$pidfile"))" >&2; return 0
  fi
  setsid "$@" >>"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
}
# stop_bg PIDFILE : TERM that process group, wait up to 15 s, then KILL it
stop_bg() {
  local pidfile=$1 pid i
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" 2>/dev/null || true
    for i in $(seq 1 50); do pgrep -g "$pid" >/dev/null 2>&1 || break; sleep 0.1; done
  fi
  rm -f "$pidfile"
}
# wait_http URL PIDFILE [timeout_s] : until the URL answers (any status); fail if the server died
wait_http() {
  local url=$1 pidfile=$2 t=${3:-90} i
  for i in $(seq 1 $((t * 4))); do
    curl -s -o /dev/null -m 2 "$url" && return 0
    kill -0 "$(cat "$pidfile")" 2>/dev/null || { echo "server exited; see $D/*.log" >&2; return 1; }
    sleep 0.25
  done
  echo "timeout waiting for $url" >&2; return 1
}
serve() {  # serve PIDFILE LOG PORT
  start_bg "$1" "$2" "$BIN/rejoinder" serve --bind "127.0.0.1:$3"
  wait_http "http://127.0.0.1:$3/api/v1/counts?uri=/" "$1"
}
# the server's main process: `rejoinder serve` runs granian in-process, so the session leader
master_pid() { cat "$PIDF"; }
# fingerprint of what the seeded snapshot depends on: migrations, seeder, seed plan
fingerprint() {
  { cat "$ROOT"/src/rejoinder/*/migrations/*.py "$HERE/seed.py" "$HARNESS/seedplan.py" 2>/dev/null || true; } |
    sha256sum | cut -c1-16
}

case "${1:-}" in
  start)
    serve "$PIDF" "$D/server.log" "$PORT"
    if [ "$STREAMS" -gt 0 ]; then
      page=$(sqlite3 "$DB" "select id from pages_page where uri = '/news/write-target/'")
      : >"$D/streams.log"
      start_bg "$STREAMS_PIDF" "$D/streams.log" \
        "$BIN/python" "$HERE/live.py" --attach "$page" --port "$PORT" --streams "$STREAMS"
      for i in $(seq 1 600); do grep -q "streams open" "$D/streams.log" && break; sleep 0.1; done
      grep -q "streams open" "$D/streams.log" || { echo "streams not opened; see $D/streams.log" >&2; exit 1; }
    fi ;;
  stop) stop_bg "$STREAMS_PIDF"; stop_bg "$PIDF" ;;
  seed)
    stop_bg "$PIDF"; stop_bg "$SEED_PIDF"
    rm -f "$DB" "$DB-wal" "$DB-shm" "$SNAP" "$STAMP"
    "$BIN/rejoinder" manage migrate --noinput -v 0
    : >"$D/seed-server.log"
    serve "$SEED_PIDF" "$D/seed-server.log" "$SEED_PORT"
    "$BIN/python" "$HERE/seed.py" "http://127.0.0.1:$SEED_PORT" "$HARNESS" ||
      { stop_bg "$SEED_PIDF"; exit 1; }
    stop_bg "$SEED_PIDF"
    sqlite3 "$DB" ".backup '$SNAP'"
    fingerprint >"$STAMP"
    echo "[rejoinder] seeded snapshot $SNAP" >&2 ;;
  restore)
    stop_bg "$PIDF"
    rm -f "$DB" "$DB-wal" "$DB-shm"; cp "$SNAP" "$DB"; : >"$D/server.log" ;;
  prepare)
    if [ ! -f "$SNAP" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$(fingerprint)" ]; then "$0" seed; fi
    "$0" restore ;;
  pid) master_pid ;;
  status)
    [ -f "$PIDF" ] && kill -0 "$(cat "$PIDF")" 2>/dev/null && echo "running: $(master_pid)" || echo stopped ;;
  *) echo "usage: $0 start|stop|seed|restore|prepare|pid|status" >&2; exit 2 ;;
esac
