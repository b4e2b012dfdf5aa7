//! Fixed vocabulary per dialect: keywords, which keywords follow which, built-in
//! functions and data types, and the reserved words that force an identifier to be quoted.
//!
//! Curated rather than taken from sqlparser's keyword list (hundreds of words from other
//! dialects would bury the useful ones). Data only; no logic beyond lookups.

use std::sync::OnceLock;

use crate::sql::Dialect;

#[rustfmt::skip]
const COMMON: &[&str] = &[
    "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "BETWEEN",
    "EXISTS", "AS", "ON", "USING", "JOIN", "INNER JOIN", "LEFT JOIN", "LEFT OUTER JOIN",
    "RIGHT JOIN", "CROSS JOIN", "NATURAL JOIN", "GROUP BY", "ORDER BY", "HAVING", "LIMIT",
    "OFFSET", "UNION", "UNION ALL", "INTERSECT", "EXCEPT", "DISTINCT", "ALL", "CASE", "WHEN",
    "THEN", "ELSE", "END", "ASC", "DESC", "INSERT INTO", "VALUES", "DEFAULT", "UPDATE", "SET",
    "DELETE FROM", "CREATE", "ALTER", "DROP", "TABLE", "VIEW", "INDEX", "UNIQUE",
    "PRIMARY KEY", "FOREIGN KEY", "REFERENCES", "CONSTRAINT", "CHECK", "IF EXISTS",
    "IF NOT EXISTS", "ADD", "COLUMN", "RENAME", "TO", "BEGIN", "COMMIT", "ROLLBACK",
    "SAVEPOINT", "RELEASE", "TRANSACTION", "WITH", "RECURSIVE", "EXPLAIN", "ANALYZE", "CAST",
    "TRUE", "FALSE", "OVER", "PARTITION BY", "WINDOW", "TRIGGER", "TEMPORARY", "COLLATE",
    "ESCAPE", "NOT NULL", "IS NULL", "IS NOT NULL", "CASCADE", "RESTRICT", "REPLACE", "FOR",
    "DO",
];

#[rustfmt::skip]
const POSTGRES: &[&str] = &[
    "ILIKE", "FULL JOIN", "FULL OUTER JOIN", "RETURNING", "SCHEMA", "FUNCTION", "SEQUENCE",
    "MATERIALIZED VIEW", "TYPE", "EXTENSION", "TRUNCATE", "COPY", "VACUUM", "SHOW", "GRANT",
    "REVOKE", "LATERAL", "FETCH", "NULLS FIRST", "NULLS LAST", "ON CONFLICT", "DO NOTHING",
    "DO UPDATE", "FILTER", "ONLY", "INTERVAL", "SIMILAR TO", "DATABASE", "ROLE", "COMMENT ON",
    "REINDEX", "DISCARD", "RESET", "LISTEN", "NOTIFY", "TABLESAMPLE", "OR REPLACE", "RETURNS",
    "LANGUAGE", "DISTINCT ON", "FOR UPDATE", "START TRANSACTION", "LOCK", "CLUSTER",
];

#[rustfmt::skip]
const MYSQL: &[&str] = &[
    "USE", "SHOW", "DESCRIBE", "DATABASE", "DATABASES", "TABLES", "COLUMNS", "SCHEMA",
    "FUNCTION", "PROCEDURE", "TRUNCATE", "GRANT", "REVOKE", "AUTO_INCREMENT", "ENGINE",
    "CHARSET", "REPLACE INTO", "ON DUPLICATE KEY UPDATE", "STRAIGHT_JOIN", "REGEXP", "RLIKE",
    "MODIFY", "CHANGE", "INTERVAL", "START TRANSACTION", "LOCK TABLES", "UNLOCK TABLES",
    "FOR UPDATE", "PROCESSLIST", "STATUS", "VARIABLES", "IGNORE", "RETURNING", "OR REPLACE",
];

#[rustfmt::skip]
const SQLITE: &[&str] = &[
    "PRAGMA", "ATTACH", "DETACH", "VACUUM", "AUTOINCREMENT", "REPLACE INTO",
    "INSERT OR REPLACE", "INSERT OR IGNORE", "ON CONFLICT", "DO NOTHING", "DO UPDATE", "GLOB",
    "REGEXP", "RETURNING", "WITHOUT ROWID", "STRICT", "NULLS FIRST", "NULLS LAST", "FULL JOIN",
    "REINDEX", "INDEXED BY", "VIRTUAL TABLE", "TEMP", "ROWID", "FILTER",
];

/// Every keyword offered in `dialect`, common ones first.
pub(super) fn keywords(dialect: Dialect) -> impl Iterator<Item = &'static str> {
    let extra = match dialect {
        Dialect::Postgres => POSTGRES,
        Dialect::Mysql => MYSQL,
        Dialect::Sqlite => SQLITE,
    };
    COMMON.iter().chain(extra.iter()).copied()
}

#[rustfmt::skip]
/// Keywords that start a statement.
pub(super) fn starters(dialect: Dialect) -> &'static [&'static str] {
    match dialect {
        Dialect::Postgres => &[
            "SELECT", "INSERT INTO", "UPDATE", "DELETE FROM", "WITH", "CREATE", "ALTER",
            "DROP", "TRUNCATE", "EXPLAIN", "BEGIN", "COMMIT", "ROLLBACK", "VALUES", "TABLE",
            "SET", "SHOW", "COPY", "VACUUM", "ANALYZE", "GRANT", "REVOKE", "SAVEPOINT",
            "RELEASE", "COMMENT ON", "REINDEX", "START TRANSACTION", "LOCK", "DISCARD",
            "RESET",
        ],
        Dialect::Mysql => &[
            "SELECT", "INSERT INTO", "UPDATE", "DELETE FROM", "WITH", "CREATE", "ALTER",
            "DROP", "TRUNCATE", "EXPLAIN", "BEGIN", "COMMIT", "ROLLBACK", "USE", "SHOW",
            "DESCRIBE", "SET", "REPLACE INTO", "START TRANSACTION", "GRANT", "REVOKE",
            "ANALYZE", "SAVEPOINT", "LOCK TABLES", "UNLOCK TABLES",
        ],
        Dialect::Sqlite => &[
            "SELECT", "INSERT INTO", "UPDATE", "DELETE FROM", "WITH", "CREATE", "ALTER",
            "DROP", "EXPLAIN", "BEGIN", "COMMIT", "ROLLBACK", "VALUES", "PRAGMA", "ATTACH",
            "DETACH", "VACUUM", "ANALYZE", "REPLACE INTO", "INSERT OR REPLACE", "SAVEPOINT",
            "RELEASE", "REINDEX",
        ],
    }
}

#[rustfmt::skip]
/// Keywords that naturally come after `prev` (upper case), ranked first.
pub(super) fn followers(prev: &str, dialect: Dialect) -> &'static [&'static str] {
    let pg = dialect == Dialect::Postgres;
    match prev {
        "ALTER" if pg => &[
            "TABLE", "VIEW", "INDEX", "SCHEMA", "SEQUENCE", "FUNCTION", "TYPE", "DATABASE",
            "MATERIALIZED VIEW", "ROLE", "EXTENSION", "TRIGGER",
        ],
        "ALTER" => &[
            "TABLE", "VIEW", "INDEX", "DATABASE", "SCHEMA", "FUNCTION", "PROCEDURE",
        ],
        "CREATE" if pg => &[
            "TABLE", "VIEW", "INDEX", "UNIQUE INDEX", "SCHEMA", "FUNCTION", "TRIGGER",
            "SEQUENCE", "TYPE", "MATERIALIZED VIEW", "DATABASE", "EXTENSION", "OR REPLACE",
            "TEMPORARY TABLE", "ROLE",
        ],
        "CREATE" if dialect == Dialect::Sqlite => &[
            "TABLE", "VIEW", "INDEX", "UNIQUE INDEX", "TRIGGER", "TEMPORARY TABLE",
            "VIRTUAL TABLE",
        ],
        "CREATE" => &[
            "TABLE", "VIEW", "INDEX", "UNIQUE INDEX", "DATABASE", "SCHEMA", "FUNCTION",
            "PROCEDURE", "TRIGGER", "TEMPORARY TABLE", "OR REPLACE",
        ],
        "DROP" if pg => &[
            "TABLE", "VIEW", "INDEX", "SCHEMA", "FUNCTION", "DATABASE", "TRIGGER", "SEQUENCE",
            "TYPE", "MATERIALIZED VIEW",
        ],
        "DROP" if dialect == Dialect::Sqlite => &["TABLE", "VIEW", "INDEX", "TRIGGER"],
        "DROP" => &[
            "TABLE", "VIEW", "INDEX", "SCHEMA", "FUNCTION", "PROCEDURE", "DATABASE", "TRIGGER",
        ],
        "ORDER" | "GROUP" | "PARTITION" => &["BY"],
        "INSERT" => &["INTO", "OR REPLACE", "OR IGNORE"],
        "REPLACE" => &["INTO"],
        "DELETE" => &["FROM"],
        "LEFT" | "RIGHT" | "FULL" => &["JOIN", "OUTER JOIN"],
        "INNER" | "CROSS" | "NATURAL" | "OUTER" => &["JOIN"],
        "IS" if dialect == Dialect::Mysql => &["NULL", "NOT NULL", "TRUE", "FALSE"],
        "IS" => &[
            "NULL", "NOT NULL", "TRUE", "FALSE", "DISTINCT FROM", "NOT DISTINCT FROM",
        ],
        "NOT" if pg => &["NULL", "IN", "LIKE", "EXISTS", "BETWEEN", "ILIKE"],
        "NOT" => &["NULL", "IN", "LIKE", "EXISTS", "BETWEEN"],
        "PRIMARY" | "FOREIGN" => &["KEY"],
        "UNION" => &["ALL", "SELECT"],
        "IF" => &["EXISTS", "NOT EXISTS"],
        "NULLS" => &["FIRST", "LAST"],
        "EXPLAIN" if dialect == Dialect::Sqlite => &["QUERY PLAN", "SELECT"],
        "EXPLAIN" => &["ANALYZE", "SELECT"],
        "BEGIN" | "START" => &["TRANSACTION"],
        "ON" if dialect == Dialect::Mysql => &["DUPLICATE KEY UPDATE", "DELETE", "UPDATE"],
        "ON" => &["CONFLICT", "DELETE", "UPDATE"],
        "WITH" => &["RECURSIVE"],
        "SELECT" => &["DISTINCT", "*"],
        "DISTINCT" => &["ON"],
        "UNIQUE" => &["INDEX"],
        "TEMPORARY" | "TEMP" => &["TABLE", "VIEW"],
        "SHOW" if dialect == Dialect::Mysql => &[
            "TABLES", "DATABASES", "COLUMNS FROM", "CREATE TABLE", "INDEX FROM", "PROCESSLIST",
            "STATUS", "VARIABLES", "GRANTS",
        ],
        "DO" => &["NOTHING", "UPDATE SET"],
        "CONFLICT" => &["DO NOTHING", "DO UPDATE SET"],
        _ => &[],
    }
}

#[rustfmt::skip]
/// Keywords likely next in a clause after a complete expression or name.
pub(super) fn clause_followers(clause: &str, dialect: Dialect) -> &'static [&'static str] {
    match clause {
        // MySQL has no NULLS FIRST/LAST.
        "ORDER" if dialect == Dialect::Mysql => &["ASC", "DESC", "LIMIT"],
        "TABLE" => &[
            "WHERE", "JOIN", "INNER JOIN", "LEFT JOIN", "RIGHT JOIN", "CROSS JOIN", "AS",
            "GROUP BY", "ORDER BY", "LIMIT", "SET",
        ],
        "JOIN" => &["ON", "USING", "AS", "WHERE", "JOIN", "LEFT JOIN"],
        "SELECT" => &["FROM", "AS", "AND", "OR", "IS", "IN", "LIKE", "BETWEEN"],
        "WHERE" | "ON" | "HAVING" => &[
            "AND", "OR", "IN", "IS", "LIKE", "BETWEEN", "NOT", "ORDER BY", "GROUP BY", "LIMIT",
        ],
        "GROUP" => &["HAVING", "ORDER BY", "LIMIT"],
        "ORDER" => &[
            "ASC", "DESC", "LIMIT", "NULLS FIRST", "NULLS LAST", "OFFSET",
        ],
        "LIMIT" => &["OFFSET"],
        "SET" if dialect == Dialect::Mysql => &["WHERE"],
        "SET" => &["WHERE", "RETURNING"],
        _ => &[],
    }
}

#[rustfmt::skip]
/// Object kinds after `GRANT ... ON`.
pub(super) fn grant_on(dialect: Dialect) -> &'static [&'static str] {
    match dialect {
        Dialect::Postgres => &[
            "TABLE", "ALL TABLES IN SCHEMA", "SCHEMA", "DATABASE", "FUNCTION", "SEQUENCE",
        ],
        _ => &["*.*", "TABLE", "FUNCTION", "PROCEDURE"],
    }
}

#[rustfmt::skip]
/// What `ALTER TABLE t ADD` may be followed by.
pub(super) fn alter_add(dialect: Dialect) -> &'static [&'static str] {
    match dialect {
        Dialect::Mysql => &[
            "COLUMN", "CONSTRAINT", "PRIMARY KEY", "FOREIGN KEY", "UNIQUE", "CHECK", "INDEX",
        ],
        Dialect::Postgres => &[
            "COLUMN", "CONSTRAINT", "PRIMARY KEY", "FOREIGN KEY", "UNIQUE", "CHECK",
            "EXCLUDE",
        ],
        Dialect::Sqlite => &["COLUMN"],
    }
}

#[rustfmt::skip]
/// Built-in functions worth offering even when the catalog does not list them.
pub(super) fn builtin_functions(dialect: Dialect) -> &'static [&'static str] {
    match dialect {
        Dialect::Postgres => &[
            "count", "sum", "avg", "min", "max", "coalesce", "nullif", "lower", "upper",
            "length", "substring", "replace", "trim", "abs", "round", "now", "date_trunc",
            "extract", "to_char", "to_date", "array_agg", "string_agg", "json_agg",
            "jsonb_build_object", "generate_series", "unnest", "row_number", "rank",
            "dense_rank", "lag", "lead", "greatest", "least", "concat", "split_part",
            "regexp_replace", "age", "random",
        ],
        Dialect::Mysql => &[
            "count", "sum", "avg", "min", "max", "coalesce", "ifnull", "nullif", "lower",
            "upper", "length", "char_length", "substring", "replace", "trim", "abs", "round",
            "now", "curdate", "date_format", "date_add", "datediff", "concat", "concat_ws",
            "group_concat", "json_extract", "json_object", "if", "row_number", "rank", "lag",
            "lead", "greatest", "least", "uuid", "rand", "current_date", "current_time",
            "current_timestamp", "current_user", "database", "last_insert_id", "found_rows",
        ],
        Dialect::Sqlite => &[
            "count", "sum", "total", "avg", "min", "max", "coalesce", "ifnull", "nullif",
            "lower", "upper", "length", "substr", "replace", "trim", "abs", "round", "date",
            "time", "datetime", "julianday", "strftime", "group_concat", "json",
            "json_extract", "json_object", "printf", "instr", "typeof", "random", "row_number",
            "rank", "lag", "lead", "last_insert_rowid", "changes",
        ],
    }
}

#[rustfmt::skip]
/// Built-in data types per dialect.
pub(super) fn builtin_types(dialect: Dialect) -> &'static [&'static str] {
    match dialect {
        Dialect::Postgres => &[
            "integer", "bigint", "smallint", "serial", "bigserial", "text", "varchar", "char",
            "boolean", "numeric", "real", "double precision", "date", "time", "timestamp",
            "timestamptz", "interval", "uuid", "json", "jsonb", "bytea", "inet", "cidr",
            "money", "int4range", "tsvector", "xml", "bit", "oid",
        ],
        Dialect::Mysql => &[
            "INT", "BIGINT", "SMALLINT", "TINYINT", "MEDIUMINT", "DECIMAL", "FLOAT", "DOUBLE",
            "VARCHAR", "CHAR", "TEXT", "MEDIUMTEXT", "LONGTEXT", "BLOB", "LONGBLOB", "DATE",
            "DATETIME", "TIMESTAMP", "TIME", "YEAR", "BOOLEAN", "JSON", "ENUM", "SET", "BIT",
            "BINARY", "VARBINARY",
        ],
        Dialect::Sqlite => &[
            "INTEGER", "TEXT", "REAL", "BLOB", "NUMERIC", "BOOLEAN", "DATE", "DATETIME", "VARCHAR",
            "INT", "BIGINT", "DOUBLE", "FLOAT", "DECIMAL", "ANY",
        ],
    }
}

/// Output formats of `\T`.
pub(super) const FORMATS: &[&str] = &[
    "table", "vertical", "csv", "tsv", "json", "jsonl", "markdown",
];

/// Whether `word` (any case) cannot be used as a bare identifier in `dialect`.
pub(super) fn is_reserved(word: &str, dialect: Dialect) -> bool {
    static SORTED: OnceLock<[Vec<&'static str>; 3]> = OnceLock::new();
    let lists = SORTED.get_or_init(|| {
        let (common, [pg, my, lite]) = reserved_lists();
        [pg, my, lite].map(|extra| {
            let mut v: Vec<&'static str> = common.iter().chain(extra.iter()).copied().collect();
            v.sort_unstable();
            v
        })
    });
    let list = &lists[match dialect {
        Dialect::Postgres => 0,
        Dialect::Mysql => 1,
        Dialect::Sqlite => 2,
    }];
    // Reserved words are short ASCII; binary search without lower-casing `word`.
    word.len() <= 20
        && list
            .binary_search_by(|w| w.bytes().cmp(word.bytes().map(|b| b.to_ascii_lowercase())))
            .is_ok()
}

type Lists = (&'static [&'static str], [&'static [&'static str]; 3]);

#[rustfmt::skip]
fn reserved_lists() -> Lists {
    const COMMON_RESERVED: &[&str] = &[
        "all", "and", "as", "asc", "between", "by", "case", "check", "collate", "column",
        "constraint", "create", "cross", "default", "delete", "desc", "distinct", "drop",
        "else", "end", "except", "exists", "foreign", "from", "full", "group", "having", "in",
        "inner", "insert", "intersect", "into", "is", "join", "left", "like", "limit",
        "natural", "not", "null", "on", "or", "order", "outer", "primary", "references",
        "right", "select", "set", "table", "then", "to", "union", "unique", "update", "using",
        "values", "when", "where", "with",
    ];
    const PG_RESERVED: &[&str] = &[
        "analyse", "analyze", "any", "array", "asymmetric", "both", "cast", "current_date",
        "current_role", "current_time", "current_timestamp", "current_user", "deferrable",
        "do", "fetch", "for", "grant", "initially", "lateral", "leading", "localtime",
        "localtimestamp", "offset", "only", "placing", "returning", "session_user", "some",
        "symmetric", "trailing", "true", "false", "user", "variadic", "window",
        "authorization", "binary", "freeze", "ilike", "isnull", "notnull", "overlaps",
        "similar", "verbose",
    ];
    const MYSQL_RESERVED: &[&str] = &[
        "add", "alter", "before", "bigint", "binary", "blob", "both", "call", "cascade",
        "change", "char", "condition", "continue", "convert", "current_user", "database",
        "databases", "dec", "decimal", "declare", "delayed", "describe", "div", "double",
        "dual", "each", "elseif", "exit", "explain", "false", "fetch", "float", "for", "force",
        "function", "grant", "groups", "if", "ignore", "index", "int", "integer", "interval",
        "key", "keys", "kill", "leading", "leave", "lines", "load", "lock", "long", "loop",
        "match", "mod", "modifies", "numeric", "option", "optionally", "out", "over",
        "partition", "precision", "procedure", "range", "rank", "read", "real", "regexp",
        "release", "rename", "repeat", "replace", "require", "restrict", "return", "revoke",
        "rlike", "row", "rows", "schema", "schemas", "show", "signal", "smallint", "spatial",
        "sql", "starting", "trailing", "trigger", "true", "undo", "unlock", "unsigned",
        "usage", "use", "varchar", "while", "window", "write", "xor", "zerofill",
    ];
    const SQLITE_RESERVED: &[&str] = &[
        "abort", "add", "alter", "autoincrement", "cast", "commit", "deferrable", "escape",
        "exclusive", "glob", "if", "index", "indexed", "isnull", "notnull", "offset", "pragma",
        "raise", "regexp", "rollback", "temp", "temporary", "transaction", "trigger", "vacuum",
        "view", "virtual",
    ];
    (
        COMMON_RESERVED,
        [PG_RESERVED, MYSQL_RESERVED, SQLITE_RESERVED],
    )
}
