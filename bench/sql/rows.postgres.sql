-- 1,000,000 rows x 6 mixed-type columns for the streaming benchmarks (PostgreSQL).
-- Loaded once into the bench database by bench/compare.sh, then selected.
DROP TABLE IF EXISTS bench_rows;
CREATE TABLE bench_rows (
  id         integer PRIMARY KEY,
  big        bigint,
  label      text,
  amount     numeric(12,2),
  created_at timestamp,
  ratio      double precision
);
INSERT INTO bench_rows
SELECT i,
       i::bigint * 1000003,
       'item-' || i || '-' || left(md5(i::text), 12),
       (i % 100000) / 100.0,
       timestamp '2024-01-01' + i * interval '1 second',
       (i % 10000) / 16.0
FROM generate_series(1, 1000000) AS i;
VACUUM ANALYZE bench_rows;
