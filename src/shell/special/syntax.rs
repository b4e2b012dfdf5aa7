//! `\h`: a short syntax summary of the statements people look up most, per dialect. Our
//! own brief text; the server's manual is the reference.

use crate::db::Backend;

type Topic = (&'static str, &'static str);

const COMMON: &[Topic] = &[
    ("ALTER TABLE", "ALTER TABLE name\n    ADD [COLUMN] column type [constraints]\n  | DROP [COLUMN] column\n  | RENAME [COLUMN] old TO new\n  | RENAME TO new_name"),
    ("BEGIN", "BEGIN  -- then COMMIT or ROLLBACK"),
    ("COMMIT", "COMMIT"),
    ("CREATE INDEX", "CREATE [UNIQUE] INDEX name ON table (column [, ...])"),
    ("CREATE TABLE", "CREATE TABLE [IF NOT EXISTS] name (\n    column type [NOT NULL] [DEFAULT expr] [PRIMARY KEY] [REFERENCES t(col)],\n    ...\n    [, PRIMARY KEY (col, ...)] [, UNIQUE (col, ...)] [, FOREIGN KEY (col) REFERENCES t(col)]\n)"),
    ("CREATE VIEW", "CREATE VIEW name [(column, ...)] AS query"),
    ("DELETE", "DELETE FROM table [WHERE condition]"),
    ("DROP TABLE", "DROP TABLE [IF EXISTS] name [, ...]"),
    ("INSERT", "INSERT INTO table [(column, ...)]\n    VALUES (expr, ...) [, (...)] | query"),
    ("ROLLBACK", "ROLLBACK"),
    ("SELECT", "[WITH name AS (query) [, ...]]\nSELECT [DISTINCT] expr [AS alias] [, ...]\n    [FROM from_item [JOIN from_item ON condition] ...]\n    [WHERE condition]\n    [GROUP BY expr [, ...]] [HAVING condition]\n    [{UNION | INTERSECT | EXCEPT} [ALL] select]\n    [ORDER BY expr [ASC | DESC] [, ...]]\n    [LIMIT count] [OFFSET start]"),
    ("UPDATE", "UPDATE table SET column = expr [, ...] [WHERE condition]"),
];

const POSTGRES: &[Topic] = &[
    ("COPY", "COPY table [(column, ...)] FROM {'file' | STDIN} [WITH (FORMAT csv, HEADER, DELIMITER 'c', NULL 'text')]\nCOPY {table | (query)} TO {'file' | STDOUT} [WITH (...)]"),
    ("CREATE FUNCTION", "CREATE [OR REPLACE] FUNCTION name (arg type [, ...]) RETURNS type\n    LANGUAGE {sql | plpgsql} AS $$ body $$"),
    ("EXPLAIN", "EXPLAIN [(ANALYZE, BUFFERS, FORMAT text|json)] statement"),
    ("INSERT … ON CONFLICT", "INSERT INTO table ... ON CONFLICT [(column, ...)] DO NOTHING | DO UPDATE SET column = EXCLUDED.column"),
    ("VACUUM", "VACUUM [(FULL, ANALYZE, VERBOSE)] [table [, ...]]"),
];

const MYSQL: &[Topic] = &[
    ("CREATE PROCEDURE", "DELIMITER //\nCREATE PROCEDURE name ([IN|OUT|INOUT] arg type, ...)\nBEGIN\n    statements;\nEND //\nDELIMITER ;"),
    ("EXPLAIN", "EXPLAIN [FORMAT=JSON] statement"),
    ("INSERT … ON DUPLICATE KEY", "INSERT INTO table ... ON DUPLICATE KEY UPDATE column = VALUES(column) [, ...]"),
    ("LOAD DATA", "LOAD DATA [LOCAL] INFILE 'file' INTO TABLE table\n    [FIELDS TERMINATED BY ',' ENCLOSED BY '\"'] [LINES TERMINATED BY '\\n'] [IGNORE 1 LINES]"),
    ("SHOW", "SHOW {DATABASES | TABLES | COLUMNS FROM t | CREATE TABLE t | INDEX FROM t | WARNINGS | PROCESSLIST}"),
];

const SQLITE: &[Topic] = &[
    ("ATTACH", "ATTACH [DATABASE] 'file' AS schema_name"),
    ("CREATE TRIGGER", "CREATE TRIGGER name {BEFORE | AFTER | INSTEAD OF} {INSERT | UPDATE | DELETE} ON table\nBEGIN\n    statement; ...\nEND"),
    ("EXPLAIN", "EXPLAIN [QUERY PLAN] statement"),
    ("INSERT … ON CONFLICT", "INSERT INTO table ... ON CONFLICT (column) DO NOTHING | DO UPDATE SET column = excluded.column"),
    ("PRAGMA", "PRAGMA name [= value]   e.g. PRAGMA table_info(t), PRAGMA foreign_keys = ON"),
    ("VACUUM", "VACUUM [schema] [INTO 'file']"),
];

/// Every topic for `backend`, sorted by name.
pub(super) fn topics(backend: Backend) -> Vec<Topic> {
    let own = match backend {
        Backend::Postgres => POSTGRES,
        Backend::Mysql => MYSQL,
        Backend::Sqlite => SQLITE,
    };
    let mut all: Vec<Topic> = COMMON.iter().chain(own).copied().collect();
    all.sort_by_key(|t| t.0);
    all
}
