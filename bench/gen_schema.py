#!/usr/bin/env python3
"""Emit SQL that creates a large schema for the catalog-load benchmark.

    bench/gen_schema.py --dialect postgres|mysql|sqlite [--tables 5000] [--columns 20]

Table i is named like the completion engine's synthetic catalog
(src/complete/bench_support.rs: `invoice_payment_0042`), has `id` as its primary key,
foreign keys to tables i/2 and (i*31) % i, and mixed-type columns up to --columns.
Deterministic: the same arguments give the same SQL. Output goes to stdout; load it
with the native client (psql -f, mariadb <, sqlite3 <).
"""

import argparse
import sys

WORDS = [
    "customer", "order", "invoice", "product", "account", "payment", "shipment", "user",
    "session", "event", "audit", "report", "ledger", "vendor", "contract", "ticket",
]

TYPES = {
    "postgres": ["integer", "text", "timestamptz", "numeric(12,2)", "boolean", "uuid"],
    "mysql": ["int", "varchar(100)", "datetime", "decimal(12,2)", "boolean", "char(36)"],
    "sqlite": ["INTEGER", "TEXT", "TIMESTAMP", "NUMERIC(12,2)", "BOOLEAN", "TEXT"],
}

ID_TYPE = {"postgres": "integer", "mysql": "int", "sqlite": "INTEGER"}

# Statements per transaction on PostgreSQL: one transaction for everything would need a
# lock per new relation (table, index, TOAST) and overflow max_locks_per_transaction.
PG_BATCH = 200


def table_name(i: int) -> str:
    a = WORDS[i % len(WORDS)]
    b = WORDS[(i // len(WORDS) + 3) % len(WORDS)]
    return f"{a}_{b}_{i:04}"


def create_table(dialect: str, i: int, columns: int) -> str:
    name = table_name(i)
    cols = [f"id {ID_TYPE[dialect]} PRIMARY KEY"]
    fks = []
    targets = [] if i == 0 else [i // 2, (i * 31) % i]
    seen = set()
    for t in targets:
        col = f"{table_name(t)}_id"
        if col in seen:
            continue
        seen.add(col)
        cols.append(f"{col} {ID_TYPE[dialect]}")
        fks.append(f"FOREIGN KEY ({col}) REFERENCES {table_name(t)} (id)")
    k = 0
    while len(cols) < columns:
        cname = f"{WORDS[(i + k) % len(WORDS)]}_{k:02}"
        cols.append(f"{cname} {TYPES[dialect][(i + k) % len(TYPES[dialect])]}")
        k += 1
    body = ",\n  ".join(cols + fks)
    return f"CREATE TABLE {name} (\n  {body}\n);\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dialect", required=True, choices=sorted(TYPES))
    ap.add_argument("--tables", type=int, default=5000)
    ap.add_argument("--columns", type=int, default=20)
    args = ap.parse_args()
    if args.columns < 3:
        ap.error("--columns must be at least 3")
    out = sys.stdout
    d = args.dialect
    if d == "mysql":
        out.write("SET foreign_key_checks = 0;\n")
    if d == "sqlite":
        out.write("PRAGMA journal_mode = OFF;\nPRAGMA synchronous = OFF;\nBEGIN;\n")
    for i in range(args.tables):
        if d == "postgres" and i % PG_BATCH == 0:
            if i:
                out.write("COMMIT;\n")
            out.write("BEGIN;\n")
        out.write(create_table(d, i, args.columns))
    if d in ("postgres", "sqlite") and args.tables:
        out.write("COMMIT;\n")
    if d == "mysql":
        out.write("SET foreign_key_checks = 1;\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
