//! Name resolution and clause rules, on a catalog built to trip them: two tables that
//! differ only in case (`users`, `"Users"`), schemas `custom` and `"Custom"`, a schema
//! needing quotes, user functions starting with `_`, and a pile of system functions.
//! Each case states what the server would accept; see `names` and `decide`.

use super::tests::{c, run_case, Case, ALL, LITE, MY, PG};
use super::Kind;
use crate::catalog::{Catalog, Column, ForeignKey, Function, Relation, RelationKind, UserType};
use crate::sql::Dialect;

fn table(schema: &str, name: &str, cols: &[&str]) -> Relation {
    Relation {
        schema: schema.into(),
        name: name.into(),
        kind: RelationKind::Table,
        columns: cols
            .iter()
            .map(|n| Column {
                name: (*n).into(),
                data_type: "integer".into(),
                nullable: true,
                primary_key: *n == "id",
            })
            .collect(),
    }
}

fn func(schema: &str, name: &str, set: bool) -> Function {
    Function {
        schema: schema.into(),
        name: name.into(),
        arguments: String::new(),
        return_type: "integer".into(),
        returns_set: set,
    }
}

fn catalog(dialect: Dialect) -> Catalog {
    let main = match dialect {
        Dialect::Postgres => "public",
        Dialect::Mysql => "app",
        Dialect::Sqlite => "main",
    };
    let mut relations = vec![
        table(main, "users", &["id", "email", "team_id"]),
        table(main, "teams", &["id", "title"]),
        table("custom", "gadgets", &["id", "gadget_name"]),
        table("Sales Ops", "leads", &["id", "lead_score"]),
    ];
    let mood = match dialect {
        Dialect::Postgres => "custom.mood",
        Dialect::Mysql => "enum('sad','ok','it''s')",
        Dialect::Sqlite => "TEXT",
    };
    let mut tickets = table(main, "tickets", &["id"]);
    tickets.columns.push(Column {
        name: "mood".into(),
        data_type: mood.into(),
        nullable: true,
        primary_key: false,
    });
    relations.push(tickets);
    let mut schemas = vec![main.to_string(), "custom".into(), "Sales Ops".into()];
    let mut functions = vec![
        func(main, "_private_total", false),
        func(main, "score", false),
    ];
    if dialect == Dialect::Mysql {
        // What the loader reads from the server's help tables.
        functions.push(func("mysql", "json_arrayagg", false));
        functions.push(func("mysql", "current_date", false));
    }
    let mut types = Vec::new();
    let mut collations: Vec<String> = ["latin1_swedish_ci", "utf8mb4_bin", "utf8mb4_unicode_ci"]
        .map(String::from)
        .to_vec();
    if dialect == Dialect::Postgres {
        relations.push(table(main, "Users", &["userid", "nickname"]));
        relations.push(table("Custom", "Widgets", &["id", "widget_label"]));
        let mut activity = table("pg_catalog", "pg_stat_activity", &["pid", "state"]);
        activity.kind = RelationKind::View;
        relations.push(activity);
        relations.push(table(
            "information_schema",
            "columns",
            &["table_name", "column_name"],
        ));
        schemas.push("Custom".into());
        schemas.push("pg_catalog".into());
        // The server's own functions: many, all in pg_catalog.
        for i in 0..300 {
            functions.push(func("pg_catalog", &format!("pg_internal_{i}"), false));
        }
        functions.push(func("pg_catalog", "generate_series", true));
        functions.push(func("pg_catalog", "count", false));
        collations = vec!["C".into(), "en_US".into(), "unicode".into()];
        let mut f = func(main, "orders_of", true);
        f.return_type = "TABLE(order_id integer, total numeric(10,2))".into();
        functions.push(f);
        let mut f = func(main, "stats", true);
        f.return_type = "SETOF record".into();
        f.arguments = "since date, OUT day date, OUT hits bigint".into();
        functions.push(f);
        let mut f = func(main, "team_rows", true);
        f.return_type = "SETOF teams".into();
        functions.push(f);
        types.push(UserType {
            schema: "custom".into(),
            name: "mood".into(),
            enum_labels: vec!["sad".into(), "ok".into()],
        });
    }
    Catalog {
        dialect,
        schemas,
        search_path: vec![main.into()],
        relations,
        foreign_keys: vec![ForeignKey {
            from_schema: main.into(),
            from_table: "users".into(),
            from_columns: vec!["team_id".into()],
            to_schema: main.into(),
            to_table: "teams".into(),
            to_columns: vec!["id".into()],
        }],
        functions,
        types,
        databases: vec![main.into()],
        current_database: main.into(),
        case_sensitive_tables: false,
        charsets: vec!["latin1".into(), "utf8mb4".into()],
        collations,
        index: Default::default(),
    }
}

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    use Kind::*;
    vec![
        // ---- PostgreSQL folding: unquoted names are lower case, quoted ones exact
        c(PG, "SELECT U.| FROM Users U").has(&["email", "team_id"]).lacks(&["userid", "nickname"]),
        c(PG, "SELECT U.| FROM \"Users\" U").has(&["userid", "nickname"]).lacks(&["email"]),
        c(PG, "SELECT u.| FROM \"Users\" U").has(&["userid"]),
        c(PG, "SELECT \"U\".| FROM users U").lacks(&["email"]),
        c(PG, "SELECT * FROM users U JOIN \"Users\" U2 ON |").lacks(&["\"U2\".userid = \"U\".id"]),
        c(PG, "SELECT * FROM users U JOIN teams T ON |").first("t.id = u.team_id").lacks(&["T.id = U.team_id"]),
        c(PG, "SELECT * FROM custom.|").has(&["gadgets"]).lacks(&["\"Widgets\""]),
        c(PG, "SELECT * FROM \"Custom\".|").has(&["\"Widgets\""]).lacks(&["gadgets"]),
        c(PG, "SELECT * FROM CUSTOM.|").has(&["gadgets"]),
        c(PG, "\\d CUSTOM.|").has(&["gadgets"]).lacks(&["\"Widgets\""]),
        c(PG, "\\d \"Custom\".|").has(&["\"Widgets\""]),
        c(PG, "SELECT * FROM |").has(&["users", "\"Users\"", "custom", "\"Custom\"", "\"Sales Ops\""]).kind("\"Sales Ops\"", Schema),
        c(PG, "SELECT * FROM \"Sales Ops\".|").has(&["leads"]),
        c(PG, "SELECT | FROM \"Users\"").has(&["userid", "\"Users\""]).lacks(&["email"]),
        c(PG, "SELECT \"Users\".| FROM \"Users\"").has(&["userid"]).lacks(&["email"]),
        c(PG, "SELECT users.| FROM \"Users\"").lacks(&["userid"]),
        // ---- MySQL and SQLite compare table names without case (lower_case_table_names=1 here)
        c(&[Dialect::Mysql, Dialect::Sqlite], "SELECT U.| FROM USERS u").has(&["email"]),
        c(&[Dialect::Mysql, Dialect::Sqlite], "SELECT * FROM CUSTOM.|").has(&["gadgets"]),
        // ---- qualifiers: table names without an alias, conditions after AND/OR in ON
        c(ALL, "SELECT | FROM users").has(&["users", "email"]).before("email", "users"),
        c(ALL, "SELECT | FROM users u").has(&["u"]).lacks(&["users"]),
        c(ALL, "SELECT * FROM users JOIN teams ON |").has(&["teams.id = users.team_id", "users", "teams"]),
        c(ALL, "SELECT * FROM users u JOIN teams t ON t.title = 'x' AND |").has(&["t.id = u.team_id"]),
        c(ALL, "SELECT * FROM users u JOIN teams t ON t.title = 'x' OR |").has(&["t.id = u.team_id"]),
        c(ALL, "SELECT * FROM users u JOIN teams t ON t.id = u.team_id AND |").lacks(&["t.id = u.team_id"]),
        c(ALL, "SELECT * FROM users u JOIN teams t ON u.team_id = t.id AND |").lacks(&["t.id = u.team_id"]),
        c(ALL, "SELECT * FROM users u WHERE u.id = 1 AND |").lacks(&["t.id = u.team_id"]).has(&["email"]),
        c(ALL, "SELECT * FROM |").has(&["users"]).kind("custom", Schema),
        // ---- incomplete text
        c(ALL, "SELECT MAX(| FROM users").has(&["email", "team_id"]),
        c(ALL, "SELECT count(| from users u").has(&["email", "u"]),
        c(ALL, "SELECT coalesce(u.|, 0 FROM users u").has(&["email"]),
        c(PG, "SET search_path TO |").has(&["custom", "public"]).kind("custom", Schema),
        c(PG, "SET search_path TO public, |").has(&["custom"]),
        c(PG, "SET search_path = |").has(&["custom"]),
        // `SET SCHEMA public` is a syntax error: the value is a string.
        c(PG, "SET SCHEMA |").has(&["'custom'", "'Custom'"]).lacks(&["custom", "email"]),
        c(PG, "SET SCHEMA 'Cu|").has(&["'Custom'", "'custom'"]),
        c(PG, "UPDATE users SET |").has(&["email"]).lacks(&["custom"]),
        c(PG, "CREATE FUNCTION f() RETURNS int AS $$ SELECT | FROM users $$ LANGUAGE sql").has(&["email"]),
        c(PG, "CREATE FUNCTION f() RETURNS int AS $$ SELECT * FROM |").has(&["users"]),
        c(PG, "CREATE FUNCTION f() RETURNS int AS $body$ SELECT u.| FROM users u $body$").has(&["email"]),
        // ---- clause rules
        c(ALL, "SELECT * FROM users NATURAL JOIN |").has(&["teams"]).lacks(&["teams t ON t.id = users.team_id"]),
        c(ALL, "SELECT * FROM users CROSS JOIN |").has(&["teams"]),
        c(ALL, "SELECT * FROM users CROSS JOIN teams |").first("WHERE"),
        c(ALL, "SELECT * FROM users NATURAL LEFT JOIN teams |").first("WHERE"),
        c(ALL, "SELECT * FROM users JOIN teams |").first("ON"),
        c(ALL, "SELECT * FROM users JOIN |").has(&["teams t ON t.id = users.team_id"]),
        c(PG, "ALTER TABLE users ADD |").has(&["COLUMN", "CONSTRAINT", "integer"]).lacks(&["WHERE", "JOIN"]),
        c(MY, "ALTER TABLE users ADD |").has(&["COLUMN", "CONSTRAINT", "INT"]).lacks(&["WHERE"]),
        c(ALL, "ALTER TABLE users ALTER |").first("COLUMN").has(&["email"]).lacks(&["SELECT", "INSERT INTO"]),
        c(PG, "SELECT * FROM users WHERE email NOT |").lacks(&["DUPLICATE KEY UPDATE"]),
        c(PG, "INSERT INTO users (id) VALUES (1) ON |").has(&["CONFLICT"]).lacks(&["DUPLICATE KEY UPDATE"]),
        c(MY, "INSERT INTO users (id) VALUES (1) ON |").has(&["DUPLICATE KEY UPDATE"]).lacks(&["CONFLICT"]),
        c(MY, "SELECT * FROM users WHERE email NOT |").lacks(&["ILIKE"]),
        c(MY, "SELECT * FROM users WHERE email IS |").lacks(&["DISTINCT FROM"]),
        c(MY, "SELECT * FROM users ORDER BY email |").lacks(&["NULLS FIRST"]),
        c(&[Dialect::Postgres, Dialect::Mysql], ".|").lacks(&[".tables"]),
        c(&[Dialect::Postgres, Dialect::Mysql], "EXPLAIN |").lacks(&["QUERY PLAN"]),
        c(LITE, "EXPLAIN |").has(&["QUERY PLAN"]),
        c(MY, "DROP |").lacks(&["MATERIALIZED VIEW", "TYPE"]).has(&["TABLE", "DATABASE"]),
        c(LITE, "DROP |").lacks(&["SCHEMA", "FUNCTION"]).has(&["TABLE"]),
        c(MY, "UPDATE users SET email = 'a' |").first("WHERE"),
        c(LITE, ".|").has(&[".tables"]),
        // ---- functions: the user's own (even `_x`), then common built-ins, system ones on demand
        c(ALL, "SELECT | FROM users").has(&["_private_total", "score"]).before("email", "score"),
        c(ALL, "SELECT _pri|").first("_private_total"),
        c(PG, "SELECT | FROM users").lacks(&["pg_internal_1"]).has(&["count"]),
        c(PG, "SELECT pg_internal_1|").first("pg_internal_1"),
        c(PG, "SELECT pg_| FROM users").has(&["pg_internal_1"]),
        c(PG, "SELECT $$abc |").empty(),
        c(PG, "DO $$ BEGIN PERFORM | FROM users; END $$").has(&["email"]),
        // ---- values: enum labels
        c(PG, "SELECT * FROM tickets WHERE mood = '|").has(&["'sad'", "'ok'"]).kind("'sad'", Value),
        c(PG, "SELECT * FROM tickets t WHERE t.mood = 's|").first("'sad'").lacks(&["'ok'"]),
        c(PG, "SELECT * FROM tickets WHERE mood IN ('sad', '|").has(&["'ok'"]),
        c(MY, "SELECT * FROM tickets WHERE mood = '|").has(&["'sad'", "'it''s'"]),
        c(MY, "UPDATE tickets SET mood = '|").has(&["'ok'"]),
        c(ALL, "SELECT * FROM tickets WHERE id = '|").empty(),
        c(LITE, "SELECT * FROM tickets WHERE mood = '|").empty(),
        c(PG, "SELECT 'a|").empty(),
        c(PG, "INSERT INTO tickets (id, mood) VALUES (1, '|").has(&["'sad'", "'ok'"]),
        c(PG, "INSERT INTO tickets (mood, id) VALUES ('|").has(&["'sad'"]),
        c(PG, "INSERT INTO tickets (id, mood) VALUES (1, 'ok'), (2, '|").has(&["'sad'"]),
        c(PG, "INSERT INTO tickets (id, mood) VALUES ('|").empty(),
        // ---- system catalogs: on demand, after the user's objects
        c(PG, "SELECT * FROM |").lacks(&["pg_stat_activity", "information_schema.columns"]),
        c(PG, "SELECT * FROM pg_stat_a|").first("pg_stat_activity"),
        c(PG, "SELECT * FROM information_schema.|").has(&["columns"]),
        c(PG, "SELECT | FROM pg_stat_activity").has(&["pid", "state"]),
        c(PG, "SELECT * FROM te|").first("teams"),
        // ---- MySQL specifics, GRANT, CREATE TABLE LIKE
        c(MY, "CREATE TABLE t (a text CHARACTER SET |").has(&["utf8mb4", "latin1"]),
        c(MY, "CREATE TABLE t (a text CHARSET utf|").first("utf8mb4"),
        c(MY, "SELECT a COLLATE utf8mb4_u|").first("utf8mb4_unicode_ci"),
        c(MY, "SELECT CONVERT(email USING |").has(&["utf8mb4"]),
        c(ALL, "GRANT SELECT ON |").has(&["users", "TABLE"]),
        c(ALL, "CREATE TABLE t2 LIKE |").has(&["users"]),
        // ---- `*` expansion
        c(ALL, "SELECT *| FROM teams").first("id, title"),
        c(ALL, "SELECT t.*| FROM users u JOIN teams t ON t.id = u.team_id").first("t.id, t.title"),
        c(ALL, "SELECT *| FROM users u JOIN teams t ON t.id = u.team_id").first("u.id, u.email, u.team_id, t.id, t.title"),
        c(ALL, "SELECT * | FROM teams").lacks(&["id, title"]),
        c(ALL, "SELECT 2 *| FROM teams").lacks(&["id, title"]),
        // ---- columns of set-returning functions through their alias
        c(PG, "SELECT * FROM orders_of(1) x WHERE x.|").has(&["order_id", "total"]),
        c(PG, "SELECT | FROM orders_of(1) x").has(&["order_id", "x"]),
        c(PG, "SELECT r.| FROM team_rows() r").has(&["title"]),
        c(PG, "SELECT s.| FROM stats(now()) s").has(&["day", "hits"]).lacks(&["since"]),
        // ---- MySQL built-ins read from the server, by prefix, never quoted
        c(MY, "SELECT json_arr|").first("json_arrayagg"),
        c(MY, "SELECT | FROM users").lacks(&["json_arrayagg"]),
        c(MY, "SELECT current_d|").first("current_date").lacks(&["`current_date`"]),
        c(PG, "SELECT email COLLATE |").has(&["\"C\"", "\"en_US\"", "unicode"]),
        // ---- type positions
        c(PG, "SELECT 1::|").has(&["integer", "custom"]),
        c(PG, "SELECT 1::custom.|").has(&["mood"]),
        c(PG, "SELECT CAST(1 AS custom.|").has(&["mood"]).lacks(&["gadgets"]),
        c(PG, "CREATE TABLE t (a custom.|").has(&["mood"]),
        c(PG, "CREATE FUNCTION f(a |").has(&["integer", "custom"]),
        c(PG, "CREATE FUNCTION f(a integer, OUT b |").has(&["integer"]),
        c(PG, "CREATE OR REPLACE FUNCTION f(a integer) RETURNS |").has(&["integer"]),
        c(PG, "ALTER TABLE users ALTER COLUMN email TYPE |").has(&["integer"]),
        c(PG, "SELECT CAST(email AS |").has(&["integer"]).lacks(&["email"]),
        c(PG, "SELECT email::| FROM users").has(&["integer"]).lacks(&["email"]),
    ]
}

#[test]
fn names_resolve_as_the_server_resolves_them() {
    let cats = [
        catalog(Dialect::Postgres),
        catalog(Dialect::Mysql),
        catalog(Dialect::Sqlite),
    ];
    let mut failures = Vec::new();
    let mut runs = 0;
    for case in &cases() {
        for &d in case.dialects {
            let cat = &cats[d as usize];
            runs += 1;
            if let Err(e) = run_case(case, cat) {
                failures.push(format!("[{d:?}] {:?}: {e}", case.sql));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {runs} runs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
