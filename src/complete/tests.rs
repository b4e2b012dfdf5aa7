//! The completion engine's test table: SQL with the cursor marked `|` (or `¦` where the
//! SQL itself needs `|`), the dialect, and what a user should see in the menu. Plus a
//! no-panic sweep over garbage input at every cursor position.

use super::{suggest, Candidate, KeywordCase, Kind, Options};
use crate::catalog::{Catalog, Column, ForeignKey, Function, Relation, RelationKind, UserType};
use crate::sql::Dialect;

// ---------------------------------------------------------------- fixtures

pub(super) fn col(name: &str, ty: &str) -> Column {
    Column {
        name: name.into(),
        data_type: ty.into(),
        nullable: true,
        primary_key: name == "id",
    }
}

pub(super) fn rel(schema: &str, name: &str, kind: RelationKind, cols: &[(&str, &str)]) -> Relation {
    Relation {
        schema: schema.into(),
        name: name.into(),
        kind,
        columns: cols.iter().map(|(n, t)| col(n, t)).collect(),
    }
}

pub(super) fn fk(fs: &str, ft: &str, fc: &str, ts: &str, tt: &str, tc: &str) -> ForeignKey {
    ForeignKey {
        from_schema: fs.into(),
        from_table: ft.into(),
        from_columns: vec![fc.into()],
        to_schema: ts.into(),
        to_table: tt.into(),
        to_columns: vec![tc.into()],
    }
}

pub(super) fn func(schema: &str, name: &str, args: &str, ret: &str, set: bool) -> Function {
    Function {
        schema: schema.into(),
        name: name.into(),
        arguments: args.into(),
        return_type: ret.into(),
        returns_set: set,
    }
}

/// One shop schema, the same shape on every dialect: `main` is the searched schema,
/// `other` a second one (PostgreSQL schema, MySQL database, SQLite attached file).
fn shop(dialect: Dialect, main: &str, other: &str, third: &str) -> Catalog {
    use RelationKind::*;
    let (int, text, money, ts) = match dialect {
        Dialect::Postgres => ("integer", "text", "numeric(10,2)", "timestamptz"),
        Dialect::Mysql => ("int", "varchar(255)", "decimal(10,2)", "datetime"),
        Dialect::Sqlite => ("INTEGER", "TEXT", "REAL", "TEXT"),
    };
    let relations = vec![
        rel(
            main,
            "users",
            Table,
            &[
                ("id", int),
                ("email", text),
                ("name", text),
                ("createdAt", ts),
                ("status", text),
            ],
        ),
        rel(
            main,
            "customers",
            Table,
            &[
                ("id", int),
                ("name", text),
                ("email", text),
                ("country_code", text),
            ],
        ),
        rel(
            main,
            "orders",
            Table,
            &[
                ("id", int),
                ("customer_id", int),
                ("user_id", int),
                ("total", money),
                ("created_at", ts),
                ("status", text),
            ],
        ),
        rel(
            main,
            "Order Items",
            Table,
            &[
                ("id", int),
                ("order_id", int),
                ("product_id", int),
                ("quantity", int),
                ("select", text),
            ],
        ),
        rel(
            main,
            "products",
            Table,
            &[("id", int), ("name", text), ("price", money), ("SKU", text)],
        ),
        rel(
            main,
            "django_migrations",
            Table,
            &[("id", int), ("app", text), ("name", text)],
        ),
        rel(
            main,
            "employees",
            Table,
            &[("id", int), ("name", text), ("manager_id", int)],
        ),
        rel(main, "active_users", View, &[("id", int), ("email", text)]),
        rel(
            other,
            "invoices",
            Table,
            &[("id", int), ("order_id", int), ("amount", money)],
        ),
        rel(other, "regions", Table, &[("id", int), ("name", text)]),
        rel(
            third,
            "log_entries",
            Table,
            &[
                ("id", int),
                ("user", text),
                ("action", text),
                ("happened_at", ts),
            ],
        ),
    ];
    let foreign_keys = vec![
        fk(main, "orders", "customer_id", main, "customers", "id"),
        fk(main, "orders", "user_id", main, "users", "id"),
        fk(main, "Order Items", "order_id", main, "orders", "id"),
        fk(main, "Order Items", "product_id", main, "products", "id"),
        fk(main, "employees", "manager_id", main, "employees", "id"),
        fk(other, "invoices", "order_id", main, "orders", "id"),
    ];
    let mut functions = vec![
        func(main, "order_total", "order_id integer", "numeric", false),
        func(main, "slugify", "t text", "text", false),
    ];
    let mut types = Vec::new();
    if dialect == Dialect::Postgres {
        functions.push(func(
            main,
            "generate_report",
            "from_date date",
            "record",
            true,
        ));
        functions.push(func("pg_catalog", "lower", "text", "text", false));
        functions.push(func(other, "invoice_sum", "id integer", "numeric", false));
        types.push(UserType {
            schema: main.into(),
            name: "order_status".into(),
            enum_labels: vec!["pending".into(), "paid".into(), "shipped".into()],
        });
        types.push(UserType {
            schema: other.into(),
            name: "region_kind".into(),
            enum_labels: vec!["north".into(), "south".into()],
        });
    }
    Catalog {
        dialect,
        schemas: vec![main.into(), other.into(), third.into()],
        search_path: vec![main.into()],
        relations,
        foreign_keys,
        functions,
        types,
        databases: vec!["app".into(), "analytics".into(), main.into()],
        current_database: "app".into(),
        case_sensitive_tables: false,
        charsets: Vec::new(),
        collations: Vec::new(),
        index: Default::default(),
    }
}

fn catalog(d: Dialect) -> Catalog {
    match d {
        Dialect::Postgres => {
            let mut c = shop(d, "public", "sales", "audit");
            c.schemas.push("pg_catalog".into());
            c
        }
        Dialect::Mysql => shop(d, "shop", "crm", "audit"),
        Dialect::Sqlite => shop(d, "main", "aux", "audit"),
    }
}

fn options(case: KeywordCase, recent: &[&str]) -> Options {
    let specials = [
        (".tables", "list tables"),
        ("\\d", "describe"),
        ("\\dt", "list tables"),
        ("\\dv", "list views"),
        ("\\df", "list functions"),
        ("\\dn", "list schemas"),
        ("\\c", "connect"),
        ("\\n", "run a named query"),
        ("\\T", "output format"),
        ("\\timing", "toggle timing"),
        ("\\x", "expanded output"),
        ("\\?", "help"),
    ];
    Options {
        keyword_case: case,
        recent: recent.iter().map(|s| s.to_string()).collect(),
        special_commands: specials
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        named_queries: vec!["daily_report".into(), "top_customers".into()],
        limit: None,
    }
}

// ---------------------------------------------------------------- the table

pub(super) const PG: &[Dialect] = &[Dialect::Postgres];
pub(super) const MY: &[Dialect] = &[Dialect::Mysql];
pub(super) const LITE: &[Dialect] = &[Dialect::Sqlite];
pub(super) const MYLITE: &[Dialect] = &[Dialect::Mysql, Dialect::Sqlite];
pub(super) const ALL: &[Dialect] = &[Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite];

pub(super) struct Case {
    pub(super) dialects: &'static [Dialect],
    pub(super) sql: &'static str,
    has: Vec<&'static str>,
    lacks: Vec<&'static str>,
    first: Option<&'static str>,
    before: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, Kind)>,
    detail: Vec<(&'static str, &'static str)>,
    empty: bool,
    case: KeywordCase,
    recent: &'static [&'static str],
}

pub(super) fn c(dialects: &'static [Dialect], sql: &'static str) -> Case {
    Case {
        dialects,
        sql,
        has: Vec::new(),
        lacks: Vec::new(),
        first: None,
        before: Vec::new(),
        kinds: Vec::new(),
        detail: Vec::new(),
        empty: false,
        case: KeywordCase::Upper,
        recent: &[],
    }
}

impl Case {
    pub(super) fn has(mut self, v: &[&'static str]) -> Case {
        self.has.extend_from_slice(v);
        self
    }
    pub(super) fn lacks(mut self, v: &[&'static str]) -> Case {
        self.lacks.extend_from_slice(v);
        self
    }
    pub(super) fn first(mut self, v: &'static str) -> Case {
        self.first = Some(v);
        self
    }
    pub(super) fn before(mut self, a: &'static str, b: &'static str) -> Case {
        self.before.push((a, b));
        self
    }
    pub(super) fn kind(mut self, text: &'static str, k: Kind) -> Case {
        self.kinds.push((text, k));
        self
    }
    pub(super) fn detail(mut self, text: &'static str, d: &'static str) -> Case {
        self.detail.push((text, d));
        self
    }
    pub(super) fn empty(mut self) -> Case {
        self.empty = true;
        self
    }
    pub(super) fn case(mut self, k: KeywordCase) -> Case {
        self.case = k;
        self
    }
    pub(super) fn recent(mut self, r: &'static [&'static str]) -> Case {
        self.recent = r;
        self
    }
}

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    use Kind::*;
    vec![
        // ---- statement start, keywords, specials
        c(ALL, "|").has(&["SELECT", "INSERT INTO", "\\d", "\\dt"]).before("SELECT", "\\d").kind("\\d", Special),
        c(ALL, "sel|").first("SELECT").lacks(&["\\d"]),
        c(ALL, "sel|").case(KeywordCase::Lower).first("select"),
        c(ALL, "sel|").case(KeywordCase::AsTyped).first("select"),
        c(ALL, "SEL|").case(KeywordCase::AsTyped).first("SELECT"),
        c(ALL, "\\|").has(&["\\d", "\\dt", "\\timing"]).lacks(&["SELECT"]),
        c(ALL, "\\t|").has(&["\\timing"]).lacks(&["\\d", "\\T"]),
        c(ALL, "\\T|").first("\\T"),
        c(ALL, "SELECT 1; |").has(&["SELECT", "\\d"]),
        c(ALL, "SELECT * FROM users;\n|").has(&["UPDATE"]),
        c(ALL, "ALTER |").first("TABLE").has(&["VIEW", "INDEX"]),
        c(ALL, "CREATE |").first("TABLE").has(&["VIEW", "INDEX", "TRIGGER"]),
        c(ALL, "CREATE T|").has(&["TABLE", "TRIGGER"]).before("TABLE", "TO"),
        c(ALL, "DROP |").first("TABLE").has(&["VIEW", "INDEX"]),
        c(ALL, "INSERT |").first("INTO"),
        c(ALL, "DELETE |").first("FROM"),
        c(ALL, "SELECT * FROM users ORDER |").first("BY"),
        c(ALL, "SELECT * FROM users GROUP |").first("BY"),
        c(ALL, "SELECT * FROM users LEFT |").first("JOIN").has(&["OUTER JOIN"]),
        c(ALL, "SELECT * FROM users INNER |").first("JOIN"),
        c(ALL, "SELECT * FROM users |").first("WHERE").has(&["JOIN", "LEFT JOIN", "ORDER BY", "GROUP BY"]),
        c(ALL, "SELECT * FROM users u |").first("WHERE"),
        c(ALL, "SELECT * FROM users WH|").first("WHERE"),
        c(ALL, "SELECT * FROM users OBY|").lacks(&["ORDER BY"]),
        c(ALL, "SELECT * FROM users WHERE id = 1 |").first("AND").has(&["OR", "ORDER BY"]),
        c(ALL, "SELECT * FROM users WHERE email IS |").has(&["NULL", "NOT NULL"]).lacks(&["email"]),
        c(ALL, "SELECT * FROM users WHERE email NOT |").has(&["IN", "LIKE", "email"]),
        c(ALL, "SELECT * FROM users UNION |").first("ALL").has(&["SELECT"]),
        c(ALL, "SELECT 1 |").first("FROM"),
        c(ALL, "SELECT email FROM users ORDER BY name |").has(&["ASC", "DESC"]).before("ASC", "SELECT"),
        c(ALL, "SELECT * FROM orders o JOIN customers c |").first("ON").has(&["USING"]),
        c(ALL, "SELECT name AS |").empty(),
        c(ALL, "SELECT name AS n|").empty(),
        c(ALL, "SELECT * FROM users AS |").empty(),

        // ---- relations after FROM / JOIN / INTO / UPDATE / ...
        c(ALL, "SELECT * FROM |").has(&["users", "orders", "customers", "active_users"]).lacks(&["id", "email", "SELECT"]).kind("active_users", View).kind("users", Table).detail("users", "table").detail("active_users", "view"),
        c(ALL, "SELECT * FROM us|").first("users").lacks(&["orders"]),
        c(ALL, "SELECT * FROM us|").before("users", "active_users"),
        c(ALL, "SELECT * FROM djmi|").first("django_migrations"),
        c(ALL, "SELECT * FROM ord|").first("orders").lacks(&["order_total", "users"]),
        c(ALL, "SELECT * FROM USERS|").first("users"),
        c(ALL, "SELECT * FROM |").recent(&["orders"]).first("orders"),
        c(ALL, "SELECT * FROM emp|").recent(&["employees"]).first("employees"),
        c(ALL, "select * from users u join |").has(&["orders o ON o.user_id = u.id"]),
        c(ALL, "SELECT * FROM users, |").has(&["orders", "customers"]).lacks(&["email"]),
        c(ALL, "SELECT * FROM users u, orders o WHERE |").has(&["email", "total", "u", "o"]),
        c(ALL, "INSERT INTO |").has(&["orders", "users"]).lacks(&["active_users", "email"]),
        c(ALL, "INSERT INTO ord|").first("orders"),
        c(ALL, "UPDATE |").has(&["users"]).lacks(&["active_users"]),
        c(ALL, "DELETE FROM |").has(&["users", "orders"]),
        c(ALL, "DELETE FROM u|").first("users"),
        c(ALL, "DROP TABLE |").has(&["users"]).lacks(&["active_users"]),
        c(ALL, "DROP TABLE IF EXISTS |").has(&["users"]),
        c(ALL, "DROP VIEW |").has(&["active_users"]).lacks(&["users"]),
        c(ALL, "ALTER TABLE |").has(&["users", "orders"]),
        c(ALL, "ALTER TABLE us|").first("users"),
        c(ALL, "CREATE TABLE |").empty(),
        c(ALL, "EXPLAIN SELECT * FROM |").has(&["users"]),
        c(ALL, "WITH x AS (SELECT 1) SELECT * FROM x JOIN |").has(&["users", "x"]),
        c(PG, "TRUNCATE |").has(&["users", "orders"]),
        c(PG, "TRUNCATE TABLE |").has(&["users"]),
        c(PG, "SELECT * FROM |").has(&["sales", "generate_report"]).lacks(&["order_total", "slugify"]).before("users", "generate_report").before("generate_report", "sales").kind("sales", Schema).kind("generate_report", Function),
        c(PG, "SELECT * FROM gen|").first("generate_report").detail("generate_report", "(from_date date) -> setof record"),
        c(PG, "SELECT * FROM sales.|").has(&["invoices", "regions"]).lacks(&["users", "orders", "sales"]),
        c(PG, "SELECT * FROM sales.inv|").first("invoices"),
        c(PG, "SELECT * FROM public.|").has(&["users", "\"Order Items\""]).lacks(&["invoices"]),
        c(PG, "SELECT * FROM inv|").first("sales.invoices"),
        c(PG, "SELECT * FROM reg|").has(&["sales.regions"]).lacks(&["regions"]),
        c(PG, "SELECT * FROM |").before("users", "sales.invoices"),
        c(PG, "SELECT * FROM \"Ord|").first("\"Order Items\""),
        c(PG, "SELECT * FROM \"Ord|\"").first("\"Order Items"),
        c(PG, "SELECT * FROM \"us|").first("\"users\""),
        c(PG, "SELECT * FROM Order|").first("\"Order Items\"").before("\"Order Items\"", "orders"),
        c(MY, "SELECT * FROM `Ord|").first("`Order Items`"),
        c(MY, "SELECT * FROM Order|").first("`Order Items`"),
        c(LITE, "SELECT * FROM Order|").first("\"Order Items\""),
        c(MY, "SELECT * FROM crm.|").has(&["invoices", "regions"]).lacks(&["users"]),
        c(MY, "SELECT * FROM |").has(&["crm"]).lacks(&["generate_report"]),
        c(MY, "DESCRIBE |").has(&["users", "active_users"]),
        c(MY, "DESC ord|").first("orders"),
        c(MY, "SELECT * FROM inv|").first("crm.invoices"),
        c(LITE, "SELECT * FROM aux.|").has(&["invoices"]).lacks(&["users"]),
        c(LITE, "PRAGMA table_info(|").has(&["users", "orders"]),
        c(LITE, "SELECT * FROM |").has(&["aux", "main"]).lacks(&["generate_report"]),

        // ---- columns in SELECT / WHERE / ... and what ranks first
        c(ALL, "SELECT | FROM users").has(&["email", "name", "id"]).lacks(&["customer_id"]).before("email", "count").before("name", "SELECT").kind("email", Column),
        c(ALL, "SELECT | FROM users").before("id", "email").before("email", "name"),
        c(ALL, "SELECT em| FROM users").first("email").detail("email", match_any()),
        c(ALL, "SELECT * FROM users WHERE |").has(&["email", "name", "count"]).before("email", "count").before("count", "NOT"),
        c(ALL, "SELECT * FROM users WHERE em|").first("email"),
        c(ALL, "SELECT * FROM users WHERE n|").first("name"),
        c(ALL, "SELECT * FROM users WHERE email = |").has(&["email", "name"]),
        c(ALL, "SELECT * FROM users WHERE email LIKE |").has(&["email"]),
        c(ALL, "SELECT * FROM users WHERE id > 1 AND |").has(&["email"]),
        c(ALL, "SELECT * FROM users WHERE id > 1 OR n|").first("name"),
        c(ALL, "SELECT * FROM users WHERE id BETWEEN |").has(&["id"]),
        c(ALL, "SELECT id, | FROM users").has(&["email"]).lacks(&["customer_id"]),
        c(ALL, "SELECT DISTINCT | FROM users").has(&["email"]),
        c(ALL, "SELECT count(|) FROM users").has(&["email", "id"]).before("email", "count"),
        c(ALL, "SELECT coalesce(name, |) FROM users").has(&["email"]),
        c(ALL, "SELECT * FROM users WHERE id IN (|").has(&["id", "email", "SELECT"]).before("id", "SELECT"),
        c(ALL, "SELECT * FROM users ORDER BY |").has(&["email", "name"]),
        c(ALL, "SELECT email FROM users GROUP BY |").has(&["email"]),
        c(ALL, "SELECT email, count(*) FROM users GROUP BY email HAVING |").has(&["email", "count"]),
        c(ALL, "SELECT * FROM users u JOIN orders o ON o.user_id = u.id WHERE |").has(&["email", "total", "customer_id", "u", "o"]).kind("u", Alias).before("email", "u"),
        c(ALL, "SELECT | FROM users u JOIN orders o ON o.user_id = u.id").has(&["email", "total"]),
        c(MYLITE, "SELECT * FROM users WHERE created|").first("createdAt"),
        c(PG, "SELECT * FROM users WHERE created|").first("\"createdAt\""),
        c(ALL, "SELECT | FROM users, orders").has(&["email", "total"]),
        c(ALL, "SELECT * FROM users\nWHERE\n  |").has(&["email"]),
        c(ALL, "SELECT 'ü€😀', | FROM users").has(&["email"]),
        c(ALL, "SELECT * FROM users /* c */ WHERE |").has(&["email"]),
        c(ALL, "SELECT * FROM users -- note\nWHERE |").has(&["email"]),
        c(ALL, "SELECT * FROM users WHERE email = 'x' AND |").has(&["email"]),
        c(ALL, "SELECT ord|").has(&["order_total"]).kind("order_total", Function).detail("order_total", "(order_id integer) -> numeric"),
        c(ALL, "SELECT * FROM users WHERE sl|").first("slugify"),
        c(ALL, "SELECT * FROM users WHERE stat|").first("status"),
        c(MYLITE, "SELECT * FROM products WHERE s|").first("SKU").lacks(&["status"]),
        c(PG, "SELECT * FROM products WHERE s|").first("\"SKU\""),
        c(PG, "SELECT | FROM users").has(&["\"createdAt\""]).lacks(&["createdAt"]),
        c(MY, "SELECT | FROM users").has(&["createdAt"]),
        c(PG, "SELECT * FROM users WHERE lo|").has(&["lower"]),

        // ---- alias. and table. qualifiers
        c(ALL, "SELECT * FROM users u WHERE u.|").has(&["id", "email", "name"]).lacks(&["total", "count", "SELECT"]),
        c(ALL, "SELECT * FROM users u WHERE u.em|").first("email"),
        c(ALL, "SELECT u.| FROM users u JOIN orders o ON o.user_id = u.id").has(&["email"]).lacks(&["total"]),
        c(ALL, "SELECT o.| FROM users u JOIN orders o ON o.user_id = u.id").has(&["total", "customer_id"]).lacks(&["email"]),
        c(ALL, "SELECT * FROM users AS u WHERE u.|").has(&["email"]),
        c(ALL, "SELECT users.| FROM users").has(&["email"]).lacks(&["total"]),
        c(ALL, "SELECT users.| FROM orders").has(&["email"]),
        c(ALL, "SELECT * FROM orders WHERE orders.t|").first("total"),
        c(ALL, "SELECT * FROM users WHERE id = 1; SELECT * FROM orders o WHERE o.|").has(&["total"]).lacks(&["email"]),
        c(ALL, "SELECT * FROM orders; SELECT | FROM users").has(&["email"]).lacks(&["customer_id"]),
        c(ALL, "SELECT * FROM orders o WHERE o.total > (SELECT avg(o2.total) FROM orders o2 WHERE o2.|)").has(&["total"]),
        c(ALL, "UPDATE orders o SET total = 0 WHERE o.|").has(&["customer_id"]),
        c(PG, "SELECT * FROM \"Order Items\" oi WHERE oi.|").has(&["\"select\"", "quantity"]),
        c(MY, "SELECT * FROM `Order Items` oi WHERE oi.|").has(&["`select`", "quantity"]),
        c(LITE, "SELECT * FROM \"Order Items\" oi WHERE oi.|").has(&["\"select\"", "quantity"]),
        c(PG, "SELECT * FROM \"Order Items\" WHERE \"Order Items\".|").has(&["quantity"]),
        c(PG, "SELECT * FROM audit.log_entries l WHERE l.|").has(&["\"user\"", "action"]),
        c(MY, "SELECT * FROM audit.log_entries l WHERE l.|").has(&["user", "action"]),
        c(PG, "SELECT u.| FROM public.users u").has(&["email"]),
        c(PG, "SELECT sales.invoices.| FROM sales.invoices").has(&["amount"]),
        c(PG, "SELECT sales.| FROM sales.invoices").has(&["invoices", "invoice_sum"]),
        c(PG, "SELECT * FROM users u WHERE u.\"cr|").first("\"createdAt\""),

        // ---- correlated subqueries, CTEs, derived tables
        c(ALL, "SELECT * FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.|)").has(&["email"]).lacks(&["total"]),
        c(ALL, "SELECT * FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE |)").has(&["total", "email"]).before("total", "email"),
        c(ALL, "SELECT * FROM users WHERE id IN (SELECT | FROM orders)").has(&["user_id", "email"]).before("user_id", "email"),
        c(ALL, "SELECT * FROM users WHERE id IN (SELECT user_id FROM orders WHERE total > 0 AND |)").has(&["total", "email"]),
        c(ALL, "SELECT * FROM (SELECT id, email AS mail FROM users) s WHERE s.|").has(&["id", "mail"]).lacks(&["email", "name"]),
        c(ALL, "SELECT s.| FROM (SELECT * FROM orders) s").has(&["total", "customer_id"]),
        c(ALL, "SELECT * FROM (SELECT id FROM users) AS s JOIN orders o ON |").has(&["o", "s"]),
        c(ALL, "SELECT * FROM (SELECT | FROM orders) s").has(&["total"]).lacks(&["email"]),
        c(ALL, "WITH big AS (SELECT id, total FROM orders WHERE total > 100) SELECT * FROM |").first("big").kind("big", Table).has(&["users"]),
        c(ALL, "WITH big AS (SELECT id, total AS amount FROM orders) SELECT big.| FROM big").has(&["id", "amount"]).lacks(&["customer_id", "total"]),
        c(ALL, "WITH big AS (SELECT id, total AS amount FROM orders) SELECT | FROM big").has(&["id", "amount"]).lacks(&["email"]),
        c(ALL, "WITH big(x, y) AS (SELECT id, total FROM orders) SELECT | FROM big").has(&["x", "y"]).lacks(&["id"]),
        c(ALL, "WITH b AS (SELECT * FROM users) SELECT b.| FROM b").has(&["email", "name"]).lacks(&["total"]),
        c(ALL, "WITH a AS (SELECT id FROM users), b AS (SELECT total FROM orders) SELECT * FROM a JOIN b ON b.|").has(&["total"]).lacks(&["id"]),
        c(ALL, "WITH a AS (SELECT | FROM users) SELECT * FROM orders").has(&["email"]).lacks(&["customer_id"]),
        c(ALL, "WITH a AS (SELECT id FROM users) SELECT * FROM a WHERE a.|").has(&["id"]).lacks(&["email"]),
        c(ALL, "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT | FROM t").has(&["n"]),
        c(PG, "SELECT * FROM generate_report('2020-01-01') r WHERE |").has(&["count"]),

        // ---- joins from foreign keys
        c(ALL, "SELECT * FROM customers c JOIN |").first("orders o ON o.customer_id = c.id").kind("orders o ON o.customer_id = c.id", Join).before("orders o ON o.customer_id = c.id", "users"),
        c(ALL, "SELECT * FROM orders o JOIN |").has(&["customers c ON c.id = o.customer_id", "users u ON u.id = o.user_id"]).before("users u ON u.id = o.user_id", "users"),
        c(ALL, "SELECT * FROM orders o JOIN cu|").first("customers c ON c.id = o.customer_id").lacks(&["users u ON u.id = o.user_id"]),
        c(ALL, "SELECT * FROM orders JOIN |").has(&["customers c ON c.id = orders.customer_id"]),
        c(ALL, "SELECT * FROM customers o JOIN |").has(&["orders o2 ON o2.customer_id = o.id"]),
        c(ALL, "SELECT * FROM employees e JOIN |").has(&["employees e2 ON e2.id = e.manager_id", "employees e2 ON e2.manager_id = e.id"]),
        c(ALL, "SELECT * FROM users u LEFT JOIN |").first("orders o ON o.user_id = u.id"),
        c(ALL, "SELECT * FROM users u LEFT OUTER JOIN |").first("orders o ON o.user_id = u.id"),
        c(ALL, "SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id JOIN |").has(&["users u ON u.id = o.user_id"]),
        c(PG, "SELECT * FROM orders o JOIN |").has(&["\"Order Items\" oi ON oi.order_id = o.id", "sales.invoices i ON i.order_id = o.id"]),
        c(MY, "SELECT * FROM orders o JOIN |").has(&["`Order Items` oi ON oi.order_id = o.id", "crm.invoices i ON i.order_id = o.id"]),
        c(LITE, "SELECT * FROM orders o JOIN |").has(&["\"Order Items\" oi ON oi.order_id = o.id"]),
        c(ALL, "SELECT * FROM customers c JOIN orders o ON |").first("o.customer_id = c.id").kind("o.customer_id = c.id", Join).before("o.customer_id = c.id", "o").before("o", "email"),
        c(ALL, "SELECT * FROM users JOIN orders ON |").first("orders.user_id = users.id"),
        c(ALL, "SELECT * FROM orders o JOIN customers c ON |").first("c.id = o.customer_id").lacks(&["c.id = o.id"]),
        c(ALL, "SELECT * FROM users u JOIN orders o ON |").first("o.user_id = u.id").has(&["o.status = u.status"]).before("o.user_id = u.id", "o.status = u.status").lacks(&["o.id = u.id"]),
        c(ALL, "SELECT * FROM users u JOIN orders o ON o.user_id = u.id AND |").has(&["total", "email"]),
        c(ALL, "SELECT * FROM users u JOIN orders o ON o.|").has(&["user_id"]).lacks(&["email"]),
        c(ALL, "SELECT * FROM orders JOIN customers USING (|").has(&["id"]).lacks(&["total", "email"]),
        c(ALL, "SELECT * FROM users u JOIN orders o USING (|").has(&["id", "status"]).lacks(&["total"]),

        // ---- INSERT / UPDATE column lists
        c(ALL, "INSERT INTO orders (|").has(&["customer_id", "total"]).lacks(&["email", "count"]),
        c(ALL, "INSERT INTO orders (customer_id, |").has(&["total"]).lacks(&["email"]),
        c(ALL, "INSERT INTO orders (customer_id, t|) VALUES (1, 2)").first("total"),
        c(ALL, "INSERT INTO orders VALUES (|").lacks(&["email", "customer_id"]),
        c(ALL, "UPDATE users SET |").has(&["email", "name"]).lacks(&["total", "count"]),
        c(ALL, "UPDATE users SET name = 'x', |").has(&["email"]),
        c(ALL, "UPDATE users SET name = 'x' WHERE |").has(&["email"]),
        c(ALL, "DELETE FROM users WHERE |").has(&["email"]).lacks(&["customer_id"]),
        c(PG, "INSERT INTO public.orders (|").has(&["total"]),

        // ---- data types
        c(PG, "SELECT id::|").has(&["integer", "text", "order_status"]).kind("integer", Datatype).detail("order_status", "enum: pending, paid, shipped"),
        c(PG, "SELECT id::t|").first("text"),
        c(PG, "SELECT status::sales.|").has(&["region_kind"]).lacks(&["order_status"]),
        c(PG, "SELECT * FROM users WHERE status = 'x'::|").has(&["order_status"]),
        c(PG, "SELECT id::|").has(&["sales.region_kind"]).before("order_status", "sales.region_kind"),
        c(MYLITE, "CREATE TABLE t (id |").kind("TEXT", Datatype).lacks(&["email", "SELECT"]).case(KeywordCase::Upper).has(&["TEXT"]),
        c(PG, "CREATE TABLE t (id |").has(&["integer", "order_status"]),
        c(MY, "CREATE TABLE t (id |").has(&["INT", "VARCHAR"]),
        c(LITE, "CREATE TABLE t (id |").has(&["INTEGER", "TEXT"]),
        c(PG, "CREATE TABLE t (id integer, name |").has(&["text"]),
        c(PG, "CREATE TABLE t (id integer, name te|").first("text"),
        c(PG, "CREATE TABLE IF NOT EXISTS t (id |").has(&["integer"]),
        c(ALL, "CREATE TABLE t (|").has(&["PRIMARY KEY", "CONSTRAINT"]).lacks(&["email"]),
        c(ALL, "CREATE TABLE t (id integer |").has(&["NOT NULL", "PRIMARY KEY", "REFERENCES"]),
        c(ALL, "CREATE TABLE t (id integer REFERENCES |").has(&["users"]),
        c(ALL, "CREATE TABLE t (id integer REFERENCES users (|").has(&["id", "email"]),
        c(PG, "ALTER TABLE users ADD COLUMN age |").has(&["integer"]).lacks(&["email"]),
        c(PG, "ALTER TABLE users ADD age |").has(&["integer"]),
        c(PG, "ALTER TABLE users ALTER COLUMN email TYPE |").has(&["text"]),
        c(MY, "ALTER TABLE users MODIFY COLUMN email |").has(&["VARCHAR"]),
        c(ALL, "ALTER TABLE users DROP COLUMN |").has(&["email"]).lacks(&["total"]),
        c(ALL, "ALTER TABLE users ALTER COLUMN |").has(&["email"]),
        c(ALL, "SELECT CAST(total AS |) FROM orders").lacks(&["total"]).has(&[match_dt()]),
        c(PG, "SELECT CAST(total AS nu|) FROM orders").first("numeric"),
        c(ALL, "CREATE INDEX idx ON |").has(&["users"]),
        c(ALL, "CREATE INDEX idx ON users (|").has(&["email"]).lacks(&["total"]),

        // ---- databases, USE, \c
        c(MY, "USE |").has(&["app", "analytics"]).kind("app", Database).detail("app", "current database"),
        c(MY, "USE an|").first("analytics"),
        c(ALL, "\\c |").has(&["app", "analytics"]),
        c(ALL, "\\c an|").first("analytics"),
        c(ALL, "\\connect |").has(&["app"]),

        // ---- backslash command arguments
        c(ALL, "\\d |").has(&["users", "orders", "active_users"]).kind("users", Table),
        c(ALL, "\\d us|").first("users"),
        c(ALL, "\\d+ |").has(&["users"]),
        c(ALL, "\\dt |").has(&["users"]).lacks(&["active_users"]),
        c(ALL, "\\dv |").has(&["active_users"]).lacks(&["users"]),
        c(ALL, "\\df |").has(&["order_total", "slugify"]).lacks(&["users"]).kind("slugify", Function),
        c(ALL, "\\dn |").lacks(&["users"]).has(&[match_schema()]),
        c(PG, "\\dn |").has(&["public", "sales", "audit"]).before("sales", "pg_catalog"),
        c(PG, "\\d sales.|").has(&["invoices"]).lacks(&["users"]),
        c(PG, "\\d |").has(&["sales"]),
        c(PG, "\\d \"Ord|").first("\"Order Items\""),
        c(ALL, "\\n |").has(&["daily_report", "top_customers"]).kind("daily_report", Named),
        c(ALL, "\\n top|").first("top_customers"),
        c(ALL, "\\T |").has(&["table", "vertical", "csv", "tsv", "json", "jsonl", "markdown"]),
        c(ALL, "\\T js|").first("json").lacks(&["csv"]),
        c(ALL, "\\x |").has(&["on", "off", "auto"]),
        c(ALL, "SELECT 1;\n\\dt |").has(&["users"]),
        c(ALL, "\\dt users |").empty(),
        c(ALL, "\\q|").lacks(&["SELECT"]),

        // ---- literals, comments, nothing to offer
        c(ALL, "SELECT * FROM users WHERE email = 'abc|'").empty(),
        c(ALL, "SELECT * FROM users WHERE email = 'abc|").empty(),
        c(ALL, "SELECT * FROM users -- comment |").empty(),
        c(ALL, "SELECT * FROM /* comment | */ users").empty(),
        c(ALL, "SELECT * FROM users /* open comment |").empty(),
        c(ALL, "SELECT 12|").empty(),
        c(PG, "SELECT $$abc |").empty(),
        c(MY, "SELECT * FROM users # note |").empty(),
        c(MY, "SELECT * FROM users WHERE email = \"abc|").empty(),
        c(ALL, "SELECT * FROM users LIMIT |").empty(),
        c(ALL, "SELECT 'it''s', | FROM users").has(&["email"]),
        c(ALL, "SELECT a || ¦ FROM users").has(&["email"]),
        c(ALL, "SELECT | FROM users").recent(&["name"]).first("name"),
        c(ALL, "SELECT * FROM users WHERE |").recent(&["status"]).first("status"),
        c(ALL, "alter |").case(KeywordCase::Lower).first("table"),
        c(ALL, "UPDATE users u SET |").has(&["email"]).lacks(&["customer_id"]),
        c(ALL, "UPDATE users u SET name = 'x' WHERE u.|").has(&["email"]),
        c(ALL, "SELECT * FROM users WHERE id = (SELECT max(id) FROM orders WHERE orders.user_id = users.|)").has(&["email"]),
        c(ALL, "INSERT INTO orders (customer_id) SELECT | FROM customers").has(&["country_code"]),
        c(ALL, "SELECT * FROM users u JOIN orders o ON o.user_id = u.id JOIN customers c ON |").first("c.id = o.customer_id"),
        c(PG, "SELECT * FROM users u JOIN orders o ON o.user_id = u.id JOIN \"Order Items\" oi ON |").first("oi.order_id = o.id"),
        c(LITE, "SELECT * FROM [Ord|").first("[Order Items]"),
        c(ALL, "SELECT * FROM users WHERE email IS NOT |").has(&["NULL"]),
        c(ALL, "SELECT * FROM users u WHERE u.id IN (SELECT o.| FROM orders o)").has(&["user_id"]).lacks(&["email"]),
        // `users` here is the table as a qualifier, not a new FROM item.
        c(ALL, "SELECT * FROM users WHERE id IS DISTINCT FROM |").has(&["id"]).kind("users", Alias).lacks(&["orders"]),
        c(ALL, "SELECT * FROM users WHERE email = 'a'; SELECT * FROM |").has(&["users"]),
        c(ALL, "SELECT *|").lacks(&["email"]),
        c(ALL, "SELECT * |FROM users").first("FROM"),
        c(ALL, "\\x\nDELETE FROM |").has(&["users"]).lacks(&["active_users"]),
        c(ALL, "SELECT 1 \\g\nSELECT | FROM users").has(&["email"]),
        c(MY, "INSERT INTO orders (total) VALUES (1) ON DUPLICATE KEY UPDATE |").has(&["total"]),
        c(PG, "INSERT INTO orders (total) VALUES (1) ON CONFLICT (id) DO UPDATE SET |").has(&["total"]),
        c(ALL, "INSERT INTO orders (total) VALUES (1) ON |").lacks(&["total"]),
        c(MY, "SELECT * FROM `Ord|`").first("`Order Items"),
        c(ALL, "SELECT * FROM us|ers").first("users"),
        c(ALL, "SELECT * FROM users WHERE email = 'a' ¦").first("AND"),
    ]
}

/// Placeholder checks filled in per dialect (kept out of the table for readability).
fn match_any() -> &'static str {
    ""
}
fn match_dt() -> &'static str {
    "\u{1}datatype"
}
fn match_schema() -> &'static str {
    "\u{1}schema"
}

pub(super) fn run_case(case: &Case, cat: &Catalog) -> Result<(), String> {
    let marker = if case.sql.contains('¦') { '¦' } else { '|' };
    let cursor = case
        .sql
        .chars()
        .position(|c| c == marker)
        .ok_or("no cursor mark")?;
    let sql: String = case.sql.chars().filter(|&c| c != marker).collect();
    let opts = options(case.case, case.recent);
    let out = suggest(&sql, cursor, cat, &opts);
    let texts: Vec<&str> = out.candidates.iter().map(|c| c.text.as_str()).collect();
    let find = |t: &str| -> Option<(usize, &Candidate)> {
        out.candidates.iter().enumerate().find(|(_, c)| c.text == t)
    };
    let show = || {
        let shown: Vec<String> = out
            .candidates
            .iter()
            .take(25)
            .map(|c| format!("{}:{}", c.text, c.kind.as_str()))
            .collect();
        format!("{shown:?}")
    };
    let mut errs = Vec::new();
    if out.replace_start > cursor {
        errs.push(format!(
            "replace_start {} > cursor {cursor}",
            out.replace_start
        ));
    }
    if case.empty && !out.candidates.is_empty() {
        errs.push("expected no candidates".to_string());
    }
    for h in &case.has {
        if let Some(kind) = h.strip_prefix('\u{1}') {
            if !out.candidates.iter().any(|c| c.kind.as_str() == kind) {
                errs.push(format!("expected some {kind}"));
            }
        } else if !h.is_empty() && find(h).is_none() {
            errs.push(format!("missing {h:?}"));
        }
    }
    for l in &case.lacks {
        if let Some(kind) = l.strip_prefix('\u{1}') {
            if out.candidates.iter().any(|c| c.kind.as_str() == kind) {
                errs.push(format!("expected no {kind}"));
            }
        } else if texts.contains(l) {
            errs.push(format!("unexpected {l:?}"));
        }
    }
    if let Some(f) = case.first {
        if texts.first() != Some(&f) {
            errs.push(format!("expected {f:?} first"));
        }
    }
    for (a, b) in &case.before {
        match (find(a), find(b)) {
            (Some((ia, _)), Some((ib, _))) if ia < ib => {}
            (Some(_), Some(_)) => errs.push(format!("{a:?} not before {b:?}")),
            _ => errs.push(format!("before: {a:?} or {b:?} missing")),
        }
    }
    for (t, k) in &case.kinds {
        match find(t) {
            Some((_, c)) if c.kind == *k => {}
            Some((_, c)) => errs.push(format!("{t:?} is {:?}, expected {k:?}", c.kind)),
            None => errs.push(format!("kind: {t:?} missing")),
        }
    }
    for (t, det) in &case.detail {
        match find(t) {
            Some((_, c)) if det.is_empty() || c.detail == *det => {}
            Some((_, c)) => errs.push(format!("{t:?} detail {:?}, expected {det:?}", c.detail)),
            None => errs.push(format!("detail: {t:?} missing")),
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\n      got {}", errs.join("; "), show()))
    }
}

#[test]
fn completion_table() {
    let cats = [
        catalog(Dialect::Postgres),
        catalog(Dialect::Mysql),
        catalog(Dialect::Sqlite),
    ];
    let cases = cases();
    let mut failures = Vec::new();
    let mut runs = 0;
    for case in &cases {
        for &d in case.dialects {
            let cat = &cats[match d {
                Dialect::Postgres => 0,
                Dialect::Mysql => 1,
                Dialect::Sqlite => 2,
            }];
            runs += 1;
            if let Err(e) = run_case(case, cat) {
                failures.push(format!("[{d:?}] {:?}: {e}", case.sql));
            }
        }
    }
    assert!(cases.len() >= 150, "only {} cases", cases.len());
    eprintln!("{} cases, {runs} runs over the dialects", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {runs} runs ({} cases) failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn cursor_is_clamped_and_counted_in_chars() {
    let cat = catalog(Dialect::Postgres);
    let opts = options(KeywordCase::Upper, &[]);
    let sql = "SELECT * FROM users WHERE ";
    let out = suggest(sql, 10_000, &cat, &opts);
    assert!(out.candidates.iter().any(|c| c.text == "email"));
    assert_eq!(out.replace_start, sql.chars().count());

    let sql = "SELECT 'żółć' AS x, em FROM users";
    let cursor = sql
        .find(" FROM")
        .map(|b| sql[..b].chars().count())
        .unwrap_or(0);
    let out = suggest(sql, cursor, &cat, &opts);
    assert_eq!(
        out.candidates.first().map(|c| c.text.as_str()),
        Some("email")
    );
    assert_eq!(out.replace_start, cursor - 2);
}

#[test]
fn suggest_lines_format() {
    let cat = catalog(Dialect::Sqlite);
    let out = suggest("SELECT * FROM us", 16, &cat, &Options::default());
    let lines = super::suggest_lines(&out);
    assert!(lines.starts_with("users\ttable\n"), "{lines}");
}

#[test]
fn byte_and_char_offsets_round_trip() {
    let s = "é😀x";
    assert_eq!(super::char_index(s, 2), 1);
    assert_eq!(super::char_index(s, 3), 1); // inside the emoji: clamped back
    assert_eq!(super::char_index(s, 99), 3);
    assert_eq!(super::byte_offset(s, 2), 6);
    assert_eq!(super::byte_offset(s, 9), s.len());
}

/// A tiny deterministic PRNG (xorshift64*), so the sweep needs no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }
}

#[test]
fn never_panics_on_garbage() {
    const PIECES: &[&str] = &[
        "SELECT",
        " ",
        "*",
        "FROM",
        "users",
        "u",
        ".",
        ",",
        "(",
        ")",
        "'",
        "\"",
        "`",
        "[",
        "]",
        ";",
        "\\",
        "\\d",
        "\n",
        "--",
        "/*",
        "*/",
        "$$",
        "$1",
        "::",
        "=",
        "JOIN",
        "ON",
        "WITH",
        "AS",
        "😀",
        "é",
        "\u{0}",
        "\t",
        "WHERE",
        "INSERT INTO",
        "VALUES",
        "CREATE TABLE",
        "ALTER TABLE",
        "ADD COLUMN",
        "CAST(",
        "IN (",
        "USING (",
        "x",
        "\"Order Items\"",
        "E'",
        "B'",
        "X'",
        "N'",
        "@",
        "#",
        "?",
        ":name",
        "||",
        "->>",
        "#>",
        "1e",
        "0x",
        "\r\n",
        "ǅ",
    ];
    let cats = [
        catalog(Dialect::Postgres),
        catalog(Dialect::Mysql),
        catalog(Dialect::Sqlite),
    ];
    let opts = options(KeywordCase::AsTyped, &["users"]);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut inputs: Vec<String> = Vec::new();
    for _ in 0..300 {
        let n = 1 + rng.below(14);
        inputs.push((0..n).map(|_| PIECES[rng.below(PIECES.len())]).collect());
    }
    for _ in 0..150 {
        let n = rng.below(40);
        let bytes: Vec<u8> = (0..n).map(|_| (rng.next() & 0xff) as u8).collect();
        inputs.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    // Random slices of the case table's SQL.
    for case in cases() {
        let chars: Vec<char> = case.sql.chars().collect();
        let a = rng.below(chars.len() + 1);
        let b = a + rng.below(chars.len() + 1 - a);
        inputs.push(chars[a..b].iter().collect());
        inputs.push(case.sql.to_string());
    }
    for (i, sql) in inputs.iter().enumerate() {
        let cat = &cats[i % 3];
        let n = sql.chars().count();
        for cursor in 0..=n + 1 {
            let out = suggest(sql, cursor, cat, &opts);
            assert!(out.replace_start <= cursor.min(n), "{sql:?} at {cursor}");
        }
    }
}

#[test]
fn generated_catalog_completes() {
    let cat = super::bench_support::generate_catalog(200, 20);
    let opts = Options::default();
    let t = super::bench_support::table_name(7);
    let sql = format!("SELECT * FROM {t} a JOIN ");
    let out = suggest(&sql, sql.chars().count(), &cat, &opts);
    assert_eq!(out.candidates.first().map(|c| c.kind), Some(Kind::Join));
    let sql = format!("SELECT a. FROM {t} a");
    let out = suggest(&sql, 9, &cat, &opts);
    let columns = out.candidates.iter().filter(|c| c.kind == Kind::Column);
    assert_eq!(columns.count(), 20);
}
