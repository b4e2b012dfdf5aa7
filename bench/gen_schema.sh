#!/bin/sh
# Generate a large PostgreSQL schema for measuring describe/list speed:
# N tables (default 5000) of 20 columns, each with a primary key, a foreign key to an
# earlier table and an index on it.
#
#   bench/gen_schema.sh URL SCHEMA [N]     create SCHEMA with N tables
#   bench/gen_schema.sh URL SCHEMA drop    drop it again
#
# Tables are created in batches of 500, each batch its own transaction, so that the
# server's lock table (max_locks_per_transaction) is not exhausted.
set -eu
url=$1
schema=$2
n=${3:-5000}
# Dropping thousands of tables in one transaction exhausts the lock table too:
# drop them a few hundred at a time, committing in between.
drop_schema() {
    psql "$url" -X -q -v ON_ERROR_STOP=1 <<SQL
DO \$\$
DECLARE
    r record;
    k int := 0;
BEGIN
    FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = '$schema' AND c.relkind = 'r' ORDER BY c.relname DESC LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I.%I CASCADE', '$schema', r.relname);
        k := k + 1;
        IF k % 200 = 0 THEN
            COMMIT;
        END IF;
    END LOOP;
END
\$\$;
DROP SCHEMA IF EXISTS "$schema" CASCADE;
SQL
}
if [ "$n" = drop ]; then
    drop_schema
    exit
fi
drop_schema
psql "$url" -X -q -v ON_ERROR_STOP=1 -c "CREATE SCHEMA \"$schema\""
start=1
while [ "$start" -le "$n" ]; do
    end=$((start + 499))
    [ "$end" -gt "$n" ] && end=$n
    psql "$url" -X -q -v ON_ERROR_STOP=1 <<SQL
SET search_path TO "$schema";
DO \$\$
DECLARE
    i int;
    cols text;
BEGIN
    SELECT string_agg(format('c%s %s', j,
        CASE j % 3 WHEN 0 THEN 'text' WHEN 1 THEN 'integer DEFAULT 0' ELSE 'timestamptz' END), ', ')
    INTO cols FROM generate_series(1, 18) j;
    FOR i IN $start..$end LOOP
        EXECUTE format('CREATE TABLE t%s (id bigint PRIMARY KEY, parent_id bigint%s, %s)',
            lpad(i::text, 5, '0'),
            CASE WHEN i > 1 THEN format(' REFERENCES t%s(id)', lpad((i / 2)::text, 5, '0')) ELSE '' END,
            cols);
        EXECUTE format('CREATE INDEX ON t%s (parent_id)', lpad(i::text, 5, '0'));
    END LOOP;
END
\$\$;
SQL
    start=$((end + 1))
done
