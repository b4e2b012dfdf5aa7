#!/usr/bin/env bash
# Latency over a slow network: a loopback proxy (bench/delay_proxy.py) adds DELAY_MS each
# way in front of the local PostgreSQL (5432) and MariaDB (3306), and dbsh runs beside the
# native client (psql, mariadb) in five scenarios, each timed as best of RUNS (the prompt
# as the median of its statements), with the round trips the proxy counted:
#
#   script       N small statements (`select N as n;`) from a file; time per statement
#   prompt       a statement typed at the interactive prompt (pty, bench/at_prompt.py):
#                Enter to the next prompt, median of 20
#   start-up     `-c 'select 1'`: exec to the end of the first result (mariadb: -e)
#   \d table     `\d orders` (columns, an index, a foreign key; made by this script);
#                for MariaDB against `SHOW CREATE TABLE orders` through the mariadb client
#   catalog      `dbsh --suggest 'SELECT * FROM '`: connect, load the completion catalog
#                (every schema on the server), print the candidates; no native equivalent
#
# usage: bench/latency.sh [DELAY_MS=10] [N=100] [RUNS=3]
# (DELAY_MS=10 is a 20 ms round trip). Needs python3, psql, mariadb, target/release/dbsh
# (built if missing; DBSH=path to use another). PG_PORT and MY_PORT (default 5432, 3306)
# point it at other servers on 127.0.0.1. Creates and drops schema `dbsh_latency`
# in PostgreSQL's `postgres` database and database `dbsh_latency` in MariaDB. Every client
# runs with an empty HOME, so no rc file (.psqlrc, .my.cnf, dbsh's config) is read.
set -euo pipefail
cd "$(dirname "$0")/.."
DELAY_MS=${1:-10}
N=${2:-100}
RUNS=${3:-3}
DBSH=${DBSH:-target/release/dbsh}
[ -x "$DBSH" ] || cargo build --release
DBSH=$(realpath "$DBSH")
PG_PORT=${PG_PORT:-5432}
MY_PORT=${MY_PORT:-3306}

WORK=$(mktemp -d)
PROXIES=()
cleanup() {
  for p in "${PROXIES[@]}"; do kill "$p" 2>/dev/null || true; done
  psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres postgres -c 'drop schema if exists dbsh_latency cascade' >/dev/null 2>&1 || true
  mariadb -h 127.0.0.1 -P "$MY_PORT" -u root -e 'drop database if exists dbsh_latency' >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PGP=$(free_port); MYP=$(free_port)
PGLOG=$WORK/trips-pg; MYLOG=$WORK/trips-my
python3 bench/delay_proxy.py "$PGP" 127.0.0.1 "$PG_PORT" "$DELAY_MS" "$PGLOG" & PROXIES+=($!)
python3 bench/delay_proxy.py "$MYP" 127.0.0.1 "$MY_PORT" "$DELAY_MS" "$MYLOG" & PROXIES+=($!)
for port in "$PGP" "$MYP"; do # until the proxies listen
  for _ in $(seq 1 100); do
    python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$port),1)" 2>/dev/null && break
    sleep 0.1
  done
done

# The table \d describes, made directly (not through the proxy).
PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres postgres <<'SQL'
drop schema if exists dbsh_latency cascade;
create schema dbsh_latency;
create table dbsh_latency.customers (id int primary key, name text not null);
create table dbsh_latency.orders (
  id serial primary key,
  customer_id int not null references dbsh_latency.customers (id),
  total numeric(10,2),
  created_at timestamptz default now());
create index orders_created on dbsh_latency.orders (created_at);
SQL
mariadb -h 127.0.0.1 -P "$MY_PORT" -u root <<'SQL'
drop database if exists dbsh_latency;
create database dbsh_latency;
use dbsh_latency;
create table customers (id int primary key, name varchar(100) not null);
create table orders (
  id int auto_increment primary key,
  customer_id int not null,
  total decimal(10,2),
  created_at timestamp default current_timestamp,
  foreign key (customer_id) references customers (id));
create index orders_created on orders (created_at);
SQL

mkdir -p "$WORK/home"
export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/home/.config XDG_DATA_HOME=$WORK/home/.local/share \
  XDG_CACHE_HOME=$WORK/home/.cache PAGER=cat
unset PSQLRC PGSERVICEFILE MYSQL_HOME DBSH_CONFIG
for i in $(seq 1 "$N"); do echo "select $i as n;"; done > "$WORK/script.sql"

best() { # best wall time in seconds of RUNS runs of "$@"
  local best=""
  for _ in $(seq 1 "$RUNS"); do
    local s e t
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 </dev/null || { echo "FAILED: $*" >&2; return 1; }; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  echo "$best"
}
trips() { # round trips of one run of "$@", as the proxy logging to $1 counted them
  local log=$1; shift
  : >"$log"
  "$@" >/dev/null 2>&1 </dev/null || true
  wc -l <"$log" | tr -d ' '
}
ms() { printf '%.1f ms' "$(echo "$1 * 1000" | bc -l)"; }
row() { printf '| %s | %s | %s | %s | %s |\n' "$@"; }
# at_prompt.py's median time and round trips per statement, as "MS TRIPS" (the median:
# dbsh's background catalog load may answer during one of them).
prompt() {
  local log=$1; shift
  : >"$log"
  python3 bench/at_prompt.py --statements 20 --trips-log "$log" "$@" |
    python3 -c 'import json,sys; r=json.load(sys.stdin); import statistics as s; print(r["median_ms"], s.median_low(r["trips"]))'
}

PGURL="postgres://postgres@127.0.0.1:$PGP/postgres?sslmode=disable"
MYURL="mysql://root@127.0.0.1:$MYP/dbsh_latency"
PSQL=(psql "$PGURL" -X -q)
MARIADB=(mariadb -h 127.0.0.1 -P "$MYP" -u root dbsh_latency)
PG_PROMPT='(?m)^\S+=[#>] ?$'

echo "$((2 * DELAY_MS)) ms round trip; best of $RUNS (the prompt: median of 20 statements); $(date -u +%F)"
echo
echo "| scenario | backend | dbsh | native client | round trips: dbsh / native |"
echo "|---|---|---|---|---|"

t_d=$(best "$DBSH" "$PGURL" -f "$WORK/script.sql"); t_n=$(best "${PSQL[@]}" -f "$WORK/script.sql")
row "$N statements from a file, per statement" PostgreSQL "$(ms "$t_d / $N")" "$(ms "$t_n / $N") psql" \
  "$(trips "$PGLOG" "$DBSH" "$PGURL" -f "$WORK/script.sql") / $(trips "$PGLOG" "${PSQL[@]}" -f "$WORK/script.sql")"
t_d=$(best "$DBSH" "$MYURL" -f "$WORK/script.sql"); t_n=$(best sh -c "${MARIADB[*]} < '$WORK/script.sql'")
row "$N statements from a file, per statement" MariaDB "$(ms "$t_d / $N")" "$(ms "$t_n / $N") mariadb" \
  "$(trips "$MYLOG" "$DBSH" "$MYURL" -f "$WORK/script.sql") / $(trips "$MYLOG" sh -c "${MARIADB[*]} < '$WORK/script.sql'")"

read -r p_d r_d < <(prompt "$PGLOG" -- "$DBSH" "$PGURL")
read -r p_n r_n < <(prompt "$PGLOG" --prompt "$PG_PROMPT" -- "${PSQL[@]}")
row "a statement at the prompt (Enter to next prompt)" PostgreSQL "$p_d ms" "$p_n ms psql" "$r_d / $r_n"
read -r p_d r_d < <(prompt "$MYLOG" -- "$DBSH" "$MYURL")
read -r p_n r_n < <(prompt "$MYLOG" -- "${MARIADB[@]}")
row "a statement at the prompt (Enter to next prompt)" MariaDB "$p_d ms" "$p_n ms mariadb" "$r_d / $r_n"

row "start-up to first result (\`-c 'select 1'\`)" PostgreSQL \
  "$(ms "$(best "$DBSH" "$PGURL" -c 'select 1')")" "$(ms "$(best "${PSQL[@]}" -c 'select 1')") psql" \
  "$(trips "$PGLOG" "$DBSH" "$PGURL" -c 'select 1') / $(trips "$PGLOG" "${PSQL[@]}" -c 'select 1')"
row "start-up to first result (\`-c 'select 1'\`)" MariaDB \
  "$(ms "$(best "$DBSH" "$MYURL" -c 'select 1')")" "$(ms "$(best "${MARIADB[@]}" -e 'select 1')") mariadb -e" \
  "$(trips "$MYLOG" "$DBSH" "$MYURL" -c 'select 1') / $(trips "$MYLOG" "${MARIADB[@]}" -e 'select 1')"

D='\d dbsh_latency.orders'
row "\`\\d orders\`, whole run" PostgreSQL \
  "$(ms "$(best "$DBSH" "$PGURL" -c "$D")")" "$(ms "$(best "${PSQL[@]}" -c "$D")") psql \`\\d\`" \
  "$(trips "$PGLOG" "$DBSH" "$PGURL" -c "$D") / $(trips "$PGLOG" "${PSQL[@]}" -c "$D")"
S='SHOW CREATE TABLE orders'
row "\`\\d orders\`, whole run" MariaDB \
  "$(ms "$(best "$DBSH" "$MYURL" -c '\d orders')")" "$(ms "$(best "${MARIADB[@]}" -e "$S")") \`$S\`" \
  "$(trips "$MYLOG" "$DBSH" "$MYURL" -c '\d orders') / $(trips "$MYLOG" "${MARIADB[@]}" -e "$S")"

Q='SELECT * FROM '
row "catalog load for completion (\`--suggest '$Q'\`)" PostgreSQL \
  "$(ms "$(best "$DBSH" "$PGURL" --suggest "$Q")")" "–" "$(trips "$PGLOG" "$DBSH" "$PGURL" --suggest "$Q") / –"
row "catalog load for completion (\`--suggest '$Q'\`)" MariaDB \
  "$(ms "$(best "$DBSH" "$MYURL" --suggest "$Q")")" "–" "$(trips "$MYLOG" "$DBSH" "$MYURL" --suggest "$Q") / –"
