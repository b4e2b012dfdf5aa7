#!/bin/sh
# How long `\d` of one table takes in a 5,000-table schema (PostgreSQL).
#
#   bench/describe_bench.sh [URL] [DBSH]
#
# Generates the schema (bench/gen_schema.sh), runs dbsh with `\d` of a table in the
# middle five times and `\dt t0250*` once, subtracts the time of a run that only
# connects, then drops the schema.
set -eu
url=${1:-postgres://postgres@127.0.0.1:5432/postgres}
dbsh=${2:-target/release/dbsh}
schema=dbsh_bench_describe
here=$(dirname "$0")
trap '"$here/gen_schema.sh" "$url" "$schema" drop' EXIT
"$here/gen_schema.sh" "$url" "$schema" 5000
psql "$url" -X -q -c "ANALYZE pg_catalog.pg_class" -c "ANALYZE pg_catalog.pg_attribute" -c "ANALYZE pg_catalog.pg_constraint" -c "ANALYZE pg_catalog.pg_index"
ms() { date +%s%N | cut -c1-13; }
run() {
    t0=$(ms)
    "$dbsh" "$url" -c "SET search_path TO $schema" "$@" >/dev/null
    t1=$(ms)
    echo $((t1 - t0))
}
base=$(run)
base=$(run)
echo "connect only: ${base} ms"
for i in 1 2 3 4 5; do
    t=$(run -c '\d t02500')
    echo "\\d t02500: $((t - base)) ms (whole run ${t} ms)"
done
t=$(run -c '\d+ t02500')
echo "\\d+ t02500: $((t - base)) ms"
t=$(run -c '\dt t0250*')
echo "\\dt t0250*: $((t - base)) ms"
t=$(run -c '\d t0250?')
echo "\\d t0250? (10 tables): $((t - base)) ms"
