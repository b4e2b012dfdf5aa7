-- 1,000,000 rows x 6 mixed-type columns for the streaming benchmarks (MySQL/MariaDB).
-- A cross join of a digits table (portable: no sequence engine, no recursion limit).
DROP TABLE IF EXISTS bench_rows;
DROP TABLE IF EXISTS bench_digits;
CREATE TABLE bench_digits (d INT NOT NULL);
INSERT INTO bench_digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
CREATE TABLE bench_rows (
  id         INT PRIMARY KEY,
  big        BIGINT,
  label      VARCHAR(40),
  amount     DECIMAL(12,2),
  created_at DATETIME,
  ratio      DOUBLE
) ENGINE=InnoDB;
INSERT INTO bench_rows
SELECT n,
       n * 1000003,
       CONCAT('item-', n, '-', LEFT(MD5(n), 12)),
       (n % 100000) / 100,
       TIMESTAMP('2024-01-01') + INTERVAL n SECOND,
       (n % 10000) / 16.0
FROM (SELECT a.d + 10*b.d + 100*c.d + 1000*e.d + 10000*f.d + 100000*g.d + 1 AS n
      FROM bench_digits a, bench_digits b, bench_digits c,
           bench_digits e, bench_digits f, bench_digits g) s;
DROP TABLE bench_digits;
ANALYZE TABLE bench_rows;
