#!/usr/bin/env bash
# Statement latency over a slow network: a loopback proxy (bench/delay_proxy.py) adds
# DELAY_MS each way in front of the local PostgreSQL (5432) and MariaDB (3306); a script
# of N small statements runs through dbsh and through the native client, best of RUNS.
#
# usage: bench/latency.sh [DELAY_MS=10] [N=100] [RUNS=3]
# (DELAY_MS=10 is a 20 ms round trip). Needs python3, psql, mariadb, target/release/dbsh
# (built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
DELAY_MS=${1:-10}
N=${2:-100}
RUNS=${3:-3}
DBSH=${DBSH:-target/release/dbsh}
[ -x "$DBSH" ] || cargo build --release

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PGP=$(free_port); MYP=$(free_port)
python3 bench/delay_proxy.py "$PGP" 127.0.0.1 5432 "$DELAY_MS" & PROXY1=$!
python3 bench/delay_proxy.py "$MYP" 127.0.0.1 3306 "$DELAY_MS" & PROXY2=$!
trap 'kill $PROXY1 $PROXY2 2>/dev/null' EXIT
for port in "$PGP" "$MYP"; do # until the proxies listen
  for _ in $(seq 1 100); do
    python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$port),1)" 2>/dev/null && break
    sleep 0.1
  done
done

WORK=$(mktemp -d)
trap 'kill $PROXY1 $PROXY2 2>/dev/null; rm -rf "$WORK"' EXIT
for i in $(seq 1 "$N"); do echo "select $i as n;"; done > "$WORK/script.sql"

best() { # best wall time in seconds of RUNS runs of "$@"
  local best=""
  for _ in $(seq 1 "$RUNS"); do
    local s e t
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 || { echo "FAILED: $*" >&2; return 1; }; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  echo "$best"
}

PGURL="postgres://postgres@127.0.0.1:$PGP/postgres?sslmode=disable"
MYURL="mysql://root@127.0.0.1:$MYP/test"
row() { printf '| %s | %s | %.3f s | %.1f ms |\n' "$1" "$2" "$3" "$(echo "$3 * 1000 / $N" | bc -l)"; }
echo "$N statements, $((2 * DELAY_MS)) ms round trip, best of $RUNS"
echo
echo "| backend | client | total | per statement |"
echo "|---|---|---|---|"
row PostgreSQL dbsh "$(best $DBSH "$PGURL" -f "$WORK/script.sql")"
row PostgreSQL psql "$(best psql "$PGURL" -X -q -f "$WORK/script.sql")"
row MariaDB dbsh "$(best $DBSH "$MYURL" -f "$WORK/script.sql")"
row MariaDB mariadb "$(best sh -c "mariadb -h 127.0.0.1 -P $MYP -u root test < '$WORK/script.sql'")"
