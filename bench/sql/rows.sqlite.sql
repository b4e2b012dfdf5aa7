-- 1,000,000 rows x 6 mixed-type columns for the streaming benchmarks (SQLite).
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
DROP TABLE IF EXISTS bench_rows;
CREATE TABLE bench_rows (
  id         INTEGER PRIMARY KEY,
  big        INTEGER,
  label      TEXT,
  amount     NUMERIC(12,2),
  created_at TIMESTAMP,
  ratio      REAL
);
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1000000)
INSERT INTO bench_rows
SELECT n,
       n * 1000003,
       'item-' || n || '-' || printf('%012x', (n * 2654435761) % 281474976710656),
       (n % 100000) / 100.0,
       datetime('2024-01-01', '+' || n || ' seconds'),
       (n % 10000) / 16.0
FROM s;
