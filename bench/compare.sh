#!/usr/bin/env bash
# dbsh side by side with psql, the mariadb/mysql client and sqlite3 (and pgcli, mycli,
# litecli with --with-dbcli), on this machine, in one run. Prints a markdown table of
# median times, each as a ratio to the native client, with peak RSS.
#
#   bench/compare.sh [--with-dbcli] [--only 1,2,3,4] [--runs N] [--keep] [--no-build]
#                    [--dbsh PATH] [--out FILE] [--tables N]
#
# Scenarios
#   1  start-up and `select 1`, per backend
#   2  time to the first interactive prompt in a pseudo-terminal (bench/first_prompt.py)
#   3  1,000,000 rows x 6 mixed-type columns to /dev/null, as a table and as CSV, per backend
#   4  catalog load on a generated schema of --tables tables (default 5,000) x 20 columns
#      with foreign keys, per backend, and the completion engine's benchmark (cargo bench
#      --bench complete: 5,000 and 50,000 tables). `--only 4 --tables 50000 --keep` is the
#      schema-per-tenant scale; generating it takes long (on a 2-core VM about 40 min on
#      MariaDB, 55 min on SQLite, over an hour on PostgreSQL), so keep it for reruns.
#
# Servers: PostgreSQL on 127.0.0.1:$BENCH_PG_PORT (user $BENCH_PG_USER, default postgres,
# no password) and MySQL/MariaDB on 127.0.0.1:$BENCH_MY_PORT (user $BENCH_MY_USER, default
# root, no password). Only 127.0.0.1 is ever used. A server or client that is missing skips
# its rows (and says so). The script creates databases dbsh_bench and dbsh_bench_catalog on
# each server and SQLite files in a temporary directory, and drops/removes them at the end
# (--keep leaves them for the next run, which then reuses them).
#
# Timing: hyperfine (installed with apt-get when missing and possible), else a plain loop;
# peak RSS: /usr/bin/time -v, one extra run per command.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ORIG_HOME="$HOME"
ROOT="$(cd "$HERE/.." && pwd)"

WITH_DBCLI=0
ONLY="1,2,3,4"
RUNS=10
BIG_RUNS=3
KEEP=0
BUILD=1
DBSH=""
OUT=""
CRITERION=1
ROWS=1000000
TABLES=5000
COLUMNS=20

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --with-dbcli) WITH_DBCLI=1 ;;
        --only) ONLY="$2"; shift ;;
        --runs) RUNS="$2"; shift ;;
        --big-runs) BIG_RUNS="$2"; shift ;;
        --keep) KEEP=1 ;;
        --no-build) BUILD=0 ;;
        --no-criterion) CRITERION=0 ;;
        --dbsh) DBSH="$2"; BUILD=0; shift ;;
        --out) OUT="$2"; shift ;;
        --tables) TABLES="$2"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

want() { [[ ",$ONLY," == *",$1,"* ]]; }
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
skip() { printf 'SKIP: %s\n' "$*" >&2; SKIPPED+=("$*"); }
SKIPPED=()

PG_PORT="${BENCH_PG_PORT:-5432}"
PG_USER="${BENCH_PG_USER:-postgres}"
MY_PORT="${BENCH_MY_PORT:-3306}"
MY_USER="${BENCH_MY_USER:-root}"
HOST=127.0.0.1
# Nothing from the caller's environment may point a client elsewhere.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE PGSERVICEFILE PGPASSFILE \
      MYSQL_HOST MYSQL_TCP_PORT MYSQL_UNIX_PORT DBSH_CONFIG PSQLRC 2>/dev/null || true

# ---------------------------------------------------------------------------------------
# Tools

need() { command -v "$1" >/dev/null 2>&1; }

if ! need python3; then
    echo "compare.sh: python3 is required (first_prompt.py, gen_schema.py, result parsing)" >&2
    exit 2
fi

HYPERFINE=""
if need hyperfine; then
    HYPERFINE=hyperfine
elif need apt-get && [[ $(id -u) -eq 0 ]]; then
    say "installing hyperfine with apt-get"
    if apt-get install -y -qq hyperfine >/dev/null 2>&1 ||
        { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq hyperfine >/dev/null 2>&1; }; then
        HYPERFINE=hyperfine
    fi
fi
[[ -n "$HYPERFINE" ]] || echo "note: hyperfine not available; using a plain timing loop" >&2

TIME_V=""
if [[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1; then
    TIME_V=/usr/bin/time
else
    echo "note: /usr/bin/time -v not available; no peak RSS column" >&2
fi

if [[ -z "$DBSH" ]]; then
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
    DBSH="$CARGO_TARGET_DIR/release/dbsh"
    if [[ $BUILD == 1 ]]; then
        say "building dbsh (release) into $CARGO_TARGET_DIR"
        (cd "$ROOT" && cargo build --release --quiet)
    fi
fi
[[ -x "$DBSH" ]] || { echo "compare.sh: no dbsh binary at $DBSH" >&2; exit 2; }

CATALOG_LOAD=""
if want 4 && [[ -n "${CARGO_TARGET_DIR:-}" ]]; then
    # Until `dbsh --suggest` loads the catalog, a tiny example does what it will do.
    if [[ $BUILD == 1 ]]; then
        (cd "$ROOT" && cargo build --release --quiet --example catalog_load) || true
    fi
    [[ -x "$CARGO_TARGET_DIR/release/examples/catalog_load" ]] &&
        CATALOG_LOAD="$CARGO_TARGET_DIR/release/examples/catalog_load"
fi

PSQL="$(command -v psql || true)"
MYCLIENT="$(command -v mariadb || command -v mysql || true)"
SQLITE3="$(command -v sqlite3 || true)"
[[ -n "$PSQL" ]] || skip "psql not installed: no PostgreSQL rows"
[[ -n "$MYCLIENT" ]] || skip "neither mariadb nor mysql client installed: no MySQL rows"
[[ -n "$SQLITE3" ]] || skip "sqlite3 not installed: no native SQLite rows"

PGCLI="" MYCLI="" LITECLI=""
if [[ $WITH_DBCLI == 1 ]]; then
    VENV="$HERE/.venv"
    if [[ ! -x "$VENV/bin/pgcli" || ! -x "$VENV/bin/mycli" || ! -x "$VENV/bin/litecli" ]]; then
        say "installing pgcli, mycli and litecli into $VENV"
        python3 -m venv "$VENV" && "$VENV/bin/pip" install -q pgcli mycli litecli ||
            skip "could not install pgcli/mycli/litecli into $VENV"
    fi
    [[ -x "$VENV/bin/pgcli" ]] && PGCLI="$VENV/bin/pgcli"
    [[ -x "$VENV/bin/mycli" ]] && MYCLI="$VENV/bin/mycli"
    [[ -x "$VENV/bin/litecli" ]] && LITECLI="$VENV/bin/litecli"
else
    for t in pgcli mycli litecli; do
        if need "$t"; then printf -v "${t^^}" '%s' "$(command -v "$t")"; fi
    done
fi

# ---------------------------------------------------------------------------------------
# Servers and data

WORK="$(mktemp -d "${TMPDIR:-/tmp}/dbsh-bench.XXXXXX")"
DATA="${BENCH_DATA_DIR:-$HERE/.data}"   # SQLite files, kept with --keep
mkdir -p "$DATA"
CREATED_PG=() CREATED_MY=()

cleanup() {
    local rc=$?
    if [[ $KEEP == 0 ]]; then
        for db in "${CREATED_PG[@]}"; do
            pg_admin "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
        done
        for db in "${CREATED_MY[@]}"; do
            my_admin "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
        done
        rm -f "$DATA"/rows.db "$DATA"/catalog.db
        rmdir "$DATA" 2>/dev/null || true
    fi
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pg_admin() { "$PSQL" -X -q -h $HOST -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -tA -c "$1"; }
pg_in() { local db=$1; shift; "$PSQL" -X -q -h $HOST -p "$PG_PORT" -U "$PG_USER" -d "$db" -v ON_ERROR_STOP=1 "$@"; }
my_admin() { "$MYCLIENT" -h $HOST -P "$MY_PORT" -u "$MY_USER" -e "$1"; }
my_in() { local db=$1; shift; "$MYCLIENT" -h $HOST -P "$MY_PORT" -u "$MY_USER" "$db" "$@"; }

HAVE_PG=0 HAVE_MY=0 HAVE_SQLITE=1
if [[ -n "$PSQL" ]]; then
    if pg_admin "SELECT 1" >/dev/null 2>&1; then HAVE_PG=1
    else skip "no PostgreSQL server at $HOST:$PG_PORT (user $PG_USER): no PostgreSQL rows"; fi
fi
if [[ -n "$MYCLIENT" ]]; then
    if my_admin "SELECT 1" >/dev/null 2>&1; then HAVE_MY=1
    else skip "no MySQL/MariaDB server at $HOST:$MY_PORT (user $MY_USER): no MySQL rows"; fi
fi
[[ -n "$SQLITE3" ]] || HAVE_SQLITE=0

pg_ensure_db() {
    local db=$1
    CREATED_PG+=("$db")
    if [[ "$(pg_admin "SELECT 1 FROM pg_database WHERE datname = '$db'" 2>/dev/null || true)" != 1 ]]; then
        pg_admin "CREATE DATABASE $db"
    fi
}
my_ensure_db() {
    CREATED_MY+=("$1")
    my_admin "CREATE DATABASE IF NOT EXISTS $1"
}

PG_URL="postgres://$PG_USER@$HOST:$PG_PORT/dbsh_bench"
MY_URL="mysql://$MY_USER@$HOST:$MY_PORT/dbsh_bench"
SQLITE_ROWS="$DATA/rows.db"
PSQL_ARGS=(-X -h $HOST -p "$PG_PORT" -U "$PG_USER" -d dbsh_bench)
MY_ARGS=(-h $HOST -P "$MY_PORT" -u "$MY_USER" dbsh_bench)

rows_sql() { sed "s/1000000/$ROWS/g" "$HERE/sql/rows.$1.sql"; }

setup_rows() {
    say "preparing $ROWS rows (kept between runs with --keep)"
    if [[ $HAVE_PG == 1 ]]; then
        pg_ensure_db dbsh_bench
        if [[ "$(pg_in dbsh_bench -tA -c "SELECT count(*) FROM bench_rows" 2>/dev/null || true)" != "$ROWS" ]]; then
            rows_sql postgres | pg_in dbsh_bench -f - >/dev/null 2>&1
        fi
    fi
    if [[ $HAVE_MY == 1 ]]; then
        my_ensure_db dbsh_bench
        if [[ "$(my_in dbsh_bench -N -e "SELECT count(*) FROM bench_rows" 2>/dev/null || true)" != "$ROWS" ]]; then
            rows_sql mysql | my_in dbsh_bench >/dev/null
        fi
    fi
    if [[ ! -s "$SQLITE_ROWS" ]] ||
        [[ "$("$SQLITE3" "$SQLITE_ROWS" "SELECT count(*) FROM bench_rows" 2>/dev/null || true)" != "$ROWS" ]]; then
        rm -f "$SQLITE_ROWS"
        if [[ -n "$SQLITE3" ]]; then
            rows_sql sqlite | "$SQLITE3" "$SQLITE_ROWS" >/dev/null
        else
            rows_sql sqlite | "$DBSH" "$SQLITE_ROWS" >/dev/null
        fi
    fi
}

# The databases the small scenarios connect to exist even when scenario 3 is not run.
setup_small() {
    [[ $HAVE_PG == 1 ]] && pg_ensure_db dbsh_bench
    [[ $HAVE_MY == 1 ]] && my_ensure_db dbsh_bench
    [[ -e "$SQLITE_ROWS" ]] || "$DBSH" "$SQLITE_ROWS" -c "CREATE TABLE IF NOT EXISTS t (x)" >/dev/null
}

# Every benchmarked client runs with a clean home: no rc files, configs or history of the
# caller's. (Set after the build, which needs the real HOME for cargo.)
BENCH_HOME="$WORK/home"
mkdir -p "$BENCH_HOME"
export HOME="$BENCH_HOME" XDG_CONFIG_HOME="$BENCH_HOME/.config" XDG_DATA_HOME="$BENCH_HOME/.local/share" \
       XDG_CACHE_HOME="$BENCH_HOME/.cache" XDG_STATE_HOME="$BENCH_HOME/.local/state"
# pgcli/mycli would ask a (missing) keyring backend for a password and warn first.
export PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring

# ---------------------------------------------------------------------------------------
# Measuring
#
# A "group" is one comparison: its commands run under one hyperfine call. Each command is
# registered with a label, a role (native / dbsh / dbcli) and its words; results go to
# $RESULTS as TSV: scenario, backend, label, role, median_ms, rss_kb, baseline label.

RESULTS="$WORK/results.tsv"
: >"$RESULTS"
G_LABELS=() G_CMDS=() G_ROLES=() G_BASE=()

group_start() { G_SCEN="$1"; G_BACKEND="$2"; G_LABELS=(); G_CMDS=(); G_ROLES=(); G_BASE=(); }
# add LABEL ROLE BASELINE_LABEL -- CMD ARGS...
add() {
    local label=$1 role=$2 base=$3; shift 4
    local q
    printf -v q '%q ' "$@"
    G_LABELS+=("$label"); G_ROLES+=("$role"); G_BASE+=("$base"); G_CMDS+=("${q% }")
}

median_loop() {  # median wall ms of running the command words $RUNS_NOW times
    local -a words
    eval "words=($1)"
    local i s e
    local -a t=()
    for ((i = 0; i < WARMUP_NOW; i++)); do "${words[@]}" >/dev/null 2>&1 || true; done
    for ((i = 0; i < RUNS_NOW; i++)); do
        s=$(date +%s%N); "${words[@]}" >/dev/null 2>&1 || true; e=$(date +%s%N)
        t+=($(((e - s) / 1000)))
    done
    printf '%s\n' "${t[@]}" | sort -n | python3 -c 'import sys,statistics; v=[int(x) for x in sys.stdin]; print(round(statistics.median(v)/1000, 2))'
}

peak_rss_kb() {
    [[ -n "$TIME_V" ]] || { echo ""; return; }
    local -a words
    eval "words=($1)"
    "$TIME_V" -v "${words[@]}" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}'
}

group_run() {  # group_run RUNS WARMUP
    RUNS_NOW=$1 WARMUP_NOW=$2
    local n=${#G_CMDS[@]} i
    [[ $n -gt 0 ]] || return 0
    # A command that fails is reported and left out, never timed.
    local -a ok=()
    for ((i = 0; i < n; i++)); do
        local -a words
        eval "words=(${G_CMDS[$i]})"
        if "${words[@]}" >/dev/null 2>"$WORK/err"; then ok+=("$i")
        else skip "$G_SCEN/$G_BACKEND: '${G_LABELS[$i]}' failed: $(head -c 300 "$WORK/err")"; fi
    done
    [[ ${#ok[@]} -gt 0 ]] || return 0
    say "scenario $G_SCEN, $G_BACKEND: ${#ok[@]} commands, $RUNS_NOW runs each"
    local -a medians=()
    if [[ -n "$HYPERFINE" ]]; then
        local -a hf=(hyperfine -N --style basic --warmup "$WARMUP_NOW" --runs "$RUNS_NOW"
                     --export-json "$WORK/hf.json")
        for i in "${ok[@]}"; do hf+=(-n "${G_LABELS[$i]}" "${G_CMDS[$i]}"); done
        "${hf[@]}" >&2
        mapfile -t medians < <(python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["results"]: print(round(r["median"]*1000, 2))' "$WORK/hf.json")
    else
        for i in "${ok[@]}"; do medians+=("$(median_loop "${G_CMDS[$i]}")"); done
    fi
    local k=0
    for i in "${ok[@]}"; do
        local rss
        rss="$(peak_rss_kb "${G_CMDS[$i]}")"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$G_SCEN" "$G_BACKEND" "${G_LABELS[$i]}" \
            "${G_ROLES[$i]}" "${medians[$k]}" "$rss" "${G_BASE[$i]}" >>"$RESULTS"
        k=$((k + 1))
    done
}

record() {  # record SCEN BACKEND LABEL ROLE MEDIAN_MS RSS BASE  (for numbers measured elsewhere)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"
}

# ---------------------------------------------------------------------------------------
# Scenario 1: start-up and `select 1`

scenario_1() {
    if [[ $HAVE_PG == 1 ]]; then
        group_start 1 PostgreSQL
        add "psql -c" native "psql -c" -- "$PSQL" "${PSQL_ARGS[@]}" -c 'select 1'
        add "dbsh -c" dbsh "psql -c" -- "$DBSH" "$PG_URL" -c 'select 1'
        [[ -n "$PGCLI" ]] && add "pgcli -c" dbcli "psql -c" -- "$PGCLI" -h $HOST -p "$PG_PORT" -U "$PG_USER" -d dbsh_bench -c 'select 1'
        group_run "$RUNS" 2
    fi
    if [[ $HAVE_MY == 1 ]]; then
        group_start 1 MariaDB
        add "$(basename "$MYCLIENT") -e" native "$(basename "$MYCLIENT") -e" -- "$MYCLIENT" "${MY_ARGS[@]}" -e 'select 1'
        add "dbsh -c" dbsh "$(basename "$MYCLIENT") -e" -- "$DBSH" "$MY_URL" -c 'select 1'
        [[ -n "$MYCLI" ]] && add "mycli -e" dbcli "$(basename "$MYCLIENT") -e" -- "$MYCLI" -h $HOST -P "$MY_PORT" -u "$MY_USER" -D dbsh_bench -e 'select 1'
        group_run "$RUNS" 2
    fi
    group_start 1 SQLite
    [[ $HAVE_SQLITE == 1 ]] && add "sqlite3" native "sqlite3" -- "$SQLITE3" "$SQLITE_ROWS" 'select 1'
    add "dbsh -c" dbsh "sqlite3" -- "$DBSH" "$SQLITE_ROWS" -c 'select 1'
    [[ -n "$LITECLI" ]] && add "litecli -e" dbcli "sqlite3" -- "$LITECLI" "$SQLITE_ROWS" -e 'select 1'
    group_run "$RUNS" 2
}

# ---------------------------------------------------------------------------------------
# Scenario 2: first interactive prompt

prompt_time() {  # prompt_time BACKEND LABEL ROLE BASE [first_prompt options] -- CMD...
    local backend=$1 label=$2 role=$3 base=$4; shift 4
    local json
    if json="$(python3 "$HERE/first_prompt.py" --runs "$RUNS" "$@" 2>"$WORK/err")"; then
        record 2 "$backend" "$label" "$role" \
            "$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["median_ms"])' "$json")" "" "$base"
    else
        skip "2/$backend: '$label' never showed its prompt: $(tail -c 300 "$WORK/err")"
    fi
}

scenario_2() {
    say "scenario 2: first interactive prompt ($RUNS runs each)"
    local PG_PROMPT='(?m)^\S+=[#>] ?$'
    if [[ $HAVE_PG == 1 ]]; then
        prompt_time PostgreSQL "psql" native psql --prompt "$PG_PROMPT" -- "$PSQL" "${PSQL_ARGS[@]}"
        prompt_time PostgreSQL "dbsh" dbsh psql -- "$DBSH" "$PG_URL"
        prompt_time PostgreSQL "dbsh, first run" dbsh psql --fresh-home -- "$DBSH" "$PG_URL"
        [[ -n "$PGCLI" ]] && prompt_time PostgreSQL "pgcli" dbcli psql -- "$PGCLI" -h $HOST -p "$PG_PORT" -U "$PG_USER" -d dbsh_bench
    fi
    local my
    my="$(basename "${MYCLIENT:-mariadb}")"
    if [[ $HAVE_MY == 1 ]]; then
        prompt_time MariaDB "$my" native "$my" -- "$MYCLIENT" "${MY_ARGS[@]}"
        prompt_time MariaDB "dbsh" dbsh "$my" -- "$DBSH" "$MY_URL"
        prompt_time MariaDB "dbsh, first run" dbsh "$my" --fresh-home -- "$DBSH" "$MY_URL"
        [[ -n "$MYCLI" ]] && prompt_time MariaDB "mycli" dbcli "$my" -- "$MYCLI" -h $HOST -P "$MY_PORT" -u "$MY_USER" -D dbsh_bench
    fi
    [[ $HAVE_SQLITE == 1 ]] && prompt_time SQLite "sqlite3" native sqlite3 -- "$SQLITE3" "$SQLITE_ROWS"
    prompt_time SQLite "dbsh" dbsh sqlite3 -- "$DBSH" "$SQLITE_ROWS"
    prompt_time SQLite "dbsh, first run" dbsh sqlite3 --fresh-home -- "$DBSH" "$SQLITE_ROWS"
    [[ -n "$LITECLI" ]] && prompt_time SQLite "litecli" dbcli sqlite3 -- "$LITECLI" "$SQLITE_ROWS"
    return 0
}

# ---------------------------------------------------------------------------------------
# Scenario 3: a million rows to /dev/null

scenario_3() {
    local Q="select * from bench_rows"
    if [[ $HAVE_PG == 1 ]]; then
        group_start 3 "PostgreSQL CSV"
        add "psql --csv" native "psql --csv" -- "$PSQL" "${PSQL_ARGS[@]}" --csv -c "$Q"
        add "dbsh --format csv" dbsh "psql --csv" -- "$DBSH" "$PG_URL" --format csv -c "$Q"
        group_run "$BIG_RUNS" 1
        group_start 3 "PostgreSQL table"
        add "psql (aligned)" native "psql (aligned)" -- "$PSQL" "${PSQL_ARGS[@]}" -c "$Q"
        add "dbsh (table)" dbsh "psql (aligned)" -- "$DBSH" "$PG_URL" -c "$Q"
        group_run "$BIG_RUNS" 1
    fi
    if [[ $HAVE_MY == 1 ]]; then
        local my
        my="$(basename "$MYCLIENT")"
        group_start 3 "MariaDB CSV"
        add "$my --batch" native "$my --batch" -- "$MYCLIENT" "${MY_ARGS[@]}" --batch -e "$Q"
        add "dbsh --format csv" dbsh "$my --batch" -- "$DBSH" "$MY_URL" --format csv -c "$Q"
        add "dbsh --format tsv" dbsh "$my --batch" -- "$DBSH" "$MY_URL" --format tsv -c "$Q"
        group_run "$BIG_RUNS" 1
        group_start 3 "MariaDB table"
        add "$my --table" native "$my --table" -- "$MYCLIENT" "${MY_ARGS[@]}" --table -e "$Q"
        add "dbsh (table)" dbsh "$my --table" -- "$DBSH" "$MY_URL" -c "$Q"
        group_run "$BIG_RUNS" 1
    fi
    group_start 3 "SQLite CSV"
    [[ $HAVE_SQLITE == 1 ]] && add "sqlite3 -csv" native "sqlite3 -csv" -- "$SQLITE3" -csv "$SQLITE_ROWS" "$Q"
    add "dbsh --format csv" dbsh "sqlite3 -csv" -- "$DBSH" "$SQLITE_ROWS" --format csv -c "$Q"
    group_run "$BIG_RUNS" 1
    group_start 3 "SQLite table"
    [[ $HAVE_SQLITE == 1 ]] && add "sqlite3 -table" native "sqlite3 -table" -- "$SQLITE3" -table "$SQLITE_ROWS" "$Q"
    add "dbsh (table)" dbsh "sqlite3 -table" -- "$DBSH" "$SQLITE_ROWS" -c "$Q"
    group_run "$BIG_RUNS" 1

    # Bounded memory: CSV's peak RSS should not grow with the row count.
    if [[ -n "$TIME_V" ]]; then
        local n
        for n in 1000 $((ROWS / 10)) "$ROWS"; do
            local rss_pg="" rss_my="" rss_lite
            [[ $HAVE_PG == 1 ]] && rss_pg="$(peak_rss_kb "$(printf '%q ' "$DBSH" "$PG_URL" --format csv -c "$Q limit $n")")"
            [[ $HAVE_MY == 1 ]] && rss_my="$(peak_rss_kb "$(printf '%q ' "$DBSH" "$MY_URL" --format csv -c "$Q limit $n")")"
            rss_lite="$(peak_rss_kb "$(printf '%q ' "$DBSH" "$SQLITE_ROWS" --format csv -c "$Q limit $n")")"
            printf '%s\t%s\t%s\t%s\n' "$n" "$rss_pg" "$rss_my" "$rss_lite" >>"$WORK/csv_rss.tsv"
        done
    fi
}

# ---------------------------------------------------------------------------------------
# Scenario 4: catalog load on a big schema, and completion latency

scenario_4() {
    local gen="$HERE/gen_schema.py" suggest_ok=0
    say "scenario 4: generating $TABLES tables x $COLUMNS columns per backend (takes a while)"
    if [[ $HAVE_PG == 1 ]]; then
        pg_ensure_db dbsh_bench_catalog
        if [[ "$(pg_in dbsh_bench_catalog -tA -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" != "$TABLES" ]]; then
            # Dropping the database, not the tables: one transaction dropping 5,000 tables
            # would need more locks than max_locks_per_transaction allows.
            pg_admin "DROP DATABASE dbsh_bench_catalog" >/dev/null
            pg_admin "CREATE DATABASE dbsh_bench_catalog" >/dev/null
            local t0=$SECONDS
            python3 "$gen" --dialect postgres --tables "$TABLES" --columns "$COLUMNS" | pg_in dbsh_bench_catalog -f - >/dev/null
            echo "PostgreSQL schema loaded by psql in $((SECONDS - t0)) s" >&2
        fi
    fi
    if [[ $HAVE_MY == 1 ]]; then
        my_ensure_db dbsh_bench_catalog
        if [[ "$(my_in dbsh_bench_catalog -N -e "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'dbsh_bench_catalog'")" != "$TABLES" ]]; then
            my_admin "DROP DATABASE dbsh_bench_catalog; CREATE DATABASE dbsh_bench_catalog"
            local t0=$SECONDS
            python3 "$gen" --dialect mysql --tables "$TABLES" --columns "$COLUMNS" | my_in dbsh_bench_catalog
            echo "MariaDB schema loaded by $(basename "$MYCLIENT") in $((SECONDS - t0)) s" >&2
        fi
    fi
    local cat_db="$DATA/catalog.db"
    local have=0
    if [[ -s "$cat_db" && -n "$SQLITE3" ]]; then
        have="$("$SQLITE3" "$cat_db" "SELECT count(*) FROM sqlite_master WHERE type = 'table'" 2>/dev/null || echo 0)"
    elif [[ -s "$cat_db" ]]; then
        have=$TABLES  # no sqlite3 to count with: trust the kept file
    fi
    if [[ "$have" != "$TABLES" ]]; then
        rm -f "$cat_db"
        if [[ -n "$SQLITE3" ]]; then
            python3 "$gen" --dialect sqlite --tables "$TABLES" --columns "$COLUMNS" | "$SQLITE3" "$cat_db" >/dev/null
        else
            python3 "$gen" --dialect sqlite --tables "$TABLES" --columns "$COLUMNS" | "$DBSH" "$cat_db" >/dev/null
        fi
    fi

    local -a targets=() names=()
    [[ $HAVE_PG == 1 ]] && { targets+=("postgres://$PG_USER@$HOST:$PG_PORT/dbsh_bench_catalog"); names+=(PostgreSQL); }
    [[ $HAVE_MY == 1 ]] && { targets+=("mysql://$MY_USER@$HOST:$MY_PORT/dbsh_bench_catalog"); names+=(MariaDB); }
    targets+=("$cat_db"); names+=(SQLite)

    # `dbsh TARGET --suggest SQL` connects, loads the catalog and prints candidates: use it
    # once it does (it prints TEXT<TAB>KIND lines); until then the catalog_load example.
    if "$DBSH" "$cat_db" --suggest 'SELECT * FROM ' </dev/null 2>/dev/null | grep -q $'\ttable'; then
        suggest_ok=1
    elif [[ -z "$CATALOG_LOAD" ]]; then
        skip "4: dbsh --suggest does not load the catalog yet and the catalog_load example is not built"
        return 0
    else
        echo "note: dbsh --suggest does not load the catalog yet; timing examples/catalog_load instead" >&2
    fi
    local i
    for i in "${!targets[@]}"; do
        group_start 4 "${names[$i]}"
        if [[ $suggest_ok == 1 ]]; then
            add "dbsh --suggest 'SELECT * FROM '" dbsh "" -- "$DBSH" "${targets[$i]}" --suggest 'SELECT * FROM '
        else
            add "connect + catalog load (examples/catalog_load)" dbsh "" -- "$CATALOG_LOAD" "${targets[$i]}"
        fi
        group_run "$RUNS" 1
        # The first prompt once a snapshot of this catalog is on disk (the warm-up run
        # stays at its prompt until the background load has written it).
        prompt_time "${names[$i]}, $TABLES tables" "dbsh, catalog snapshot on disk" dbsh "" \
            --warmup-linger 5 -- "$DBSH" "${targets[$i]}"
        if [[ -n "$CATALOG_LOAD" ]]; then
            echo "${names[$i]}: $("$CATALOG_LOAD" "${targets[$i]}" 5)" >>"$WORK/catalog_detail.txt"
        fi
    done

    if [[ $CRITERION == 1 ]]; then
        if [[ -f "$ROOT/benches/complete.rs" ]] && need cargo; then
            say "scenario 4: cargo bench --bench complete (completion engine, 5,000 and 50,000 x 20 catalogs)"
            # cargo needs the real HOME (for ~/.cargo) again.
            if (cd "$ROOT" && HOME="$ORIG_HOME" XDG_CONFIG_HOME= XDG_DATA_HOME= XDG_CACHE_HOME= XDG_STATE_HOME= cargo bench --quiet --bench complete 2>&1) >"$WORK/criterion.txt"; then
                :
            else
                skip "4: cargo bench --bench complete failed (see its output below)"
            fi
        else
            skip "4: no benches/complete.rs (or no cargo): completion latency not measured"
        fi
    fi
}

# ---------------------------------------------------------------------------------------
# Report

report() {
    TABLES="$TABLES" python3 - "$RESULTS" <<'EOF'
import os, sys, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
titles = {
    "1": "Start-up + `select 1`",
    "2": "First interactive prompt (pty)",
    "3": "1,000,000 rows x 6 columns to /dev/null",
    "4": f"Catalog load, {int(os.environ.get('TABLES', 5000)):,} tables x 20 columns",
}
by = collections.OrderedDict()
for r in rows:
    by.setdefault(r[0], []).append(r)
def fmt_ms(v):
    v = float(v)
    return f"{v/1000:.2f} s" if v >= 1000 else f"{v:.1f} ms"
for scen, rs in by.items():
    print(f"\n#### {scen}. {titles.get(scen, '')}\n")
    print("| backend | client | median | vs native | peak RSS |")
    print("|---|---|---:|---:|---:|")
    med = {(r[1], r[2]): float(r[4]) for r in rs}
    dbsh = {}
    for r in rs:
        if r[3] == "dbsh":
            dbsh.setdefault(r[1], float(r[4]))
    for backend, label, role, m, rss, base in (r[1:7] for r in rs):
        ratio = ""
        b = med.get((backend, base))
        if base and b and label != base:
            ratio = f"{float(m)/b:.2f}x"
        elif label == base:
            ratio = "1.00"
        mem = f"{int(rss)/1024:.1f} MB" if rss else ""
        if role == "dbcli" and backend in dbsh:
            ratio += f" ({float(m)/dbsh[backend]:.0f}x dbsh)"
        name = f"**{label}**" if role == "dbsh" else label
        print(f"| {backend} | {name} | {fmt_ms(m)} | {ratio} | {mem} |")
EOF
    if [[ -s "$WORK/csv_rss.tsv" ]]; then
        printf '\nPeak RSS of `dbsh --format csv` by row count (bounded memory):\n\n'
        printf '| rows | PostgreSQL | MariaDB | SQLite |\n|---:|---:|---:|---:|\n'
        awk -F'\t' '{ printf "| %s |", $1; for (i = 2; i <= 4; i++) printf " %s |", ($i == "" ? "" : sprintf("%.1f MB", $i / 1024)); printf "\n" }' "$WORK/csv_rss.tsv"
    fi
    if [[ -s "$WORK/catalog_detail.txt" ]]; then
        printf '\nCatalog load inside the process (5 loads on one connection; JSON = the disk snapshot):\n\n```\n'
        cat "$WORK/catalog_detail.txt"
        printf '```\n'
    fi
    if [[ -s "$WORK/criterion.txt" ]]; then
        printf '\nCompletion engine (`cargo bench --bench complete`):\n\n```\n'
        grep -vE '^\s*$|Warming|Collecting|Analyzing|Found [0-9]+ outliers|^\s+[0-9]+ \([0-9.]+%\) (high|low) (mild|severe)|^Benchmarking|change:|Performance has|No change in perf|Change within noise' "$WORK/criterion.txt" || true
        printf '```\n'
    fi
    printf '\nMachine: %s, %s cores; %s\n' "$(uname -sr)" "$(nproc)" "$(date -u +%Y-%m-%d)"
    printf 'dbsh: %s (%s bytes)\n' "$DBSH" "$(stat -c %s "$DBSH")"
    printf 'Clients: %s\n' "$({ [[ -n "$PSQL" ]] && "$PSQL" --version; [[ -n "$MYCLIENT" ]] && "$MYCLIENT" --version; [[ -n "$SQLITE3" ]] && echo "sqlite3 $("$SQLITE3" --version | cut -d' ' -f1)"; [[ -n "$PGCLI" ]] && echo "pgcli $("$PGCLI" --version | sed 's/^Version: //')"; [[ -n "$MYCLI" ]] && "$MYCLI" --version; [[ -n "$LITECLI" ]] && "$LITECLI" --version; } 2>/dev/null | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
    printf '\n`ldd %s`:\n\n```\n%s\n```\n' "$(basename "$DBSH")" "$(ldd "$DBSH" 2>&1 | sed 's/ (0x[0-9a-f]*)//')"
    if [[ ${#SKIPPED[@]} -gt 0 ]]; then
        printf '\nSkipped:\n'
        printf -- '- %s\n' "${SKIPPED[@]}"
    fi
}

# ---------------------------------------------------------------------------------------

setup_small
want 3 && setup_rows
want 1 && scenario_1
want 2 && scenario_2
want 3 && scenario_3
want 4 && scenario_4

if [[ -n "$OUT" ]]; then
    report | tee "$OUT"
else
    report
fi
