#!/usr/bin/env bash
# `make bench`: Rejoinder side by side with the peers (Isso, Waline, django-comments-xtd),
# using the shared harness in ../shared/peers (read-only, so it runs from a copy).
#
# usage: bench/run.sh
# env:   BENCH_PEERS="isso waline dcx rejoinder"  servers to measure, in order: peer names and/or
#            rejoinder | rejoinder-nocache (our adapters in bench/) | path/to/adapter.json.
#            BENCH_PEERS=rejoinder = only ours (quick; peers are not installed).
#        DURATION=10 CONNS=16,64 REPS=2 WARMUP=3   passed to the harness (its defaults shown)
#        PEERS_SRC=../shared/peers   BENCH_HARNESS=/tmp/peers-harness (the copy)
#        PEERS_DIR=/tmp/peers (installed peers + our data)   RESEED=1 (re-seed our snapshot)
#        SKIP_SETUP=1 (do not run the harness's setup_peers.sh; default 1 when only ours run)
# Output: bench/results/<UTC time>-<servers>/ with TABLE.md, <name>.json per server, run.log.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="${PEERS_SRC:-$(cd "$HERE/../../shared/peers" && pwd)}"  # shared/ sits beside the project
H="${BENCH_HARNESS:-/tmp/peers-harness}"
read -r -a targets <<<"${BENCH_PEERS:-isso waline dcx rejoinder}"

# fresh copy of the harness every run (the source is read-only; keep it byte-identical)
rm -rf "$H"; cp -r "$SRC" "$H"; chmod -R u+w "$H"; rm -rf "$H/results"

args=(); only_ours=1
for t in "${targets[@]}"; do
  if [ -f "$HERE/$t.json" ]; then args+=("$HERE/$t.json")
  else args+=("$t"); case "$t" in isso|waline|dcx) only_ours=0 ;; esac
  fi
done
[ "$only_ours" = 1 ] && : "${SKIP_SETUP:=1}"
command -v wrk >/dev/null && command -v sqlite3 >/dev/null ||
  { echo "needs wrk and sqlite3: apt-get install -y wrk sqlite3" >&2; exit 2; }

export REJOINDER_BENCH="$HERE" PEERS_HARNESS="$H"
[ -n "${PEERS_DIR:-}" ] && export PEERS_DIR
[ -n "${SKIP_SETUP:-}" ] && export SKIP_SETUP
if [ -n "${RESEED:-}" ]; then "$HERE/run_rejoinder.sh" seed; fi

stamp="$(date -u +%Y%m%dT%H%M%SZ)-$(IFS=-; echo "${targets[*]}" | tr -c 'A-Za-z0-9_.\n-' _)"
out="$HERE/results/$stamp"; mkdir -p "$out"
export RESULTS_DIR="$out"
# the numbers are only comparable on an otherwise idle machine: record the load, warn if busy
load() { echo "[bench] $1: load average $(cut -d' ' -f1-3 /proc/loadavg)"; }
busy() { ps -eo pcpu=,pid=,args= --sort=-pcpu | awk '$1 >= 20 && $3 != "ps"' | cut -c1-120 | head -5; }
{
  echo "[bench] harness copy $H, results in $out"
  load start
  if [ -n "$(busy)" ]; then echo "[bench] WARNING: other processes are using CPU:"; busy; fi
} 2>&1 | tee "$out/run.log" >&2
t0=$(date +%s)
"$H/bench_peers.sh" "${args[@]}" 2>&1 | tee -a "$out/run.log"
{ load end; echo "[bench] done in $(( $(date +%s) - t0 )) s; results in $out"; } | tee -a "$out/run.log" >&2
