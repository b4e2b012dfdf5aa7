//! The peers' own completion tests, restated as dbsh cases: pgcli
//! `tests/test_smart_completion_public_schema_only.py`, mycli
//! `test/test_smart_completion_public_schema_only.py` and litecli
//! `tests/test_smart_completion_public_schema_only.py`, each on its fixture schema rebuilt
//! here (behaviour only; no code taken). The peers compare whole menus; dbsh's menus also
//! carry keywords and built-ins, so a case states what must be there and what must not.
//! Where dbsh differs on purpose the case is inverted and says why.

use super::tests::{c, run_case, Case, LITE, MY, PG};
use crate::catalog::{Catalog, Column, Function, Relation, RelationKind};
use crate::sql::Dialect;

fn rel(schema: &str, name: &str, kind: RelationKind, cols: &[&str]) -> Relation {
    Relation {
        schema: schema.into(),
        name: name.into(),
        kind,
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

/// users, orders, `select` (columns id, insert, ABC) in every peer's fixture; pgcli adds
/// the view user_emails and two functions, mycli and litecli a table named `réveillé`.
fn fixture(dialect: Dialect) -> Catalog {
    use RelationKind::*;
    let schema = match dialect {
        Dialect::Postgres => "public",
        Dialect::Mysql => "test",
        Dialect::Sqlite => "main",
    };
    let mut relations = vec![
        rel(
            schema,
            "users",
            Table,
            &["id", "email", "first_name", "last_name"],
        ),
        rel(schema, "orders", Table, &["id", "ordered_date", "status"]),
        rel(schema, "select", Table, &["id", "insert", "ABC"]),
    ];
    let mut functions = Vec::new();
    if dialect == Dialect::Postgres {
        relations.push(rel(schema, "user_emails", View, &["id", "email"]));
        for f in ["custom_func1", "custom_func2"] {
            functions.push(Function {
                schema: schema.into(),
                name: f.into(),
                arguments: String::new(),
                return_type: "integer".into(),
                returns_set: false,
            });
        }
    } else {
        relations.push(rel(schema, "réveillé", Table, &["id", "insert", "ABC"]));
    }
    Catalog {
        dialect,
        schemas: vec![schema.into()],
        search_path: vec![schema.into()],
        relations,
        functions,
        databases: vec![schema.into()],
        current_database: schema.into(),
        ..Catalog::default()
    }
}

const COLS: &[&str] = &["*", "id", "email", "first_name", "last_name"];

/// Cases shared by the three files (they descend from one another).
#[rustfmt::skip]
fn shared(d: &'static [Dialect]) -> Vec<Case> {
    vec![
        c(d, "SEL|").first("SELECT"),
        c(d, "SELECT MA|").has(&["max"]),
        c(d, "SELECT | from users").has(COLS).has(&["users"]),
        // Inverted in part: `max(*)` is an error on all three servers; only `count(*)`.
        c(d, "SELECT MAX(| from users").has(&COLS[1..]).lacks(&["*"]),
        c(d, "SELECT count(| from users").has(COLS),
        c(d, "SELECT users.| from users").has(COLS).lacks(&["ordered_date", "SELECT"]),
        c(d, "SELECT u.| from users u").has(COLS).lacks(&["ordered_date"]),
        c(d, "SELECT id, | from users u").has(COLS).has(&["u"]),
        c(d, "SELECT u.id, u.| from users u").has(COLS),
        // Inverted: with `FROM users u` the server only knows `u`; `users.id` is an error
        // on all three, so dbsh offers nothing after `users.`.
        c(d, "SELECT users.id, users.| from users u").lacks(&["email", "first_name"]),
        c(d, "SELECT u.name, o.id FROM users u JOIN orders o ON |").has(&["u", "o"]).lacks(&["users", "orders"]),
        c(d, "SELECT u.name, o.id FROM users u JOIN orders o ON o.user_id = |").has(&["u", "o"]),
        c(d, "SELECT users.name, orders.id FROM users JOIN orders ON |").has(&["users", "orders"]),
        c(d, "SELECT users.name, orders.id FROM users JOIN orders ON orders.user_id = |").has(&["users", "orders"]),
    ]
}

#[rustfmt::skip]
fn pgcli() -> Vec<Case> {
    let mut v = shared(PG);
    v.extend([
        c(PG, "SELECT * FROM |").has(&["public", "users", "\"select\"", "orders", "user_emails"]),
        c(PG, "SELECT IN|").lacks(&["min"]),
        c(PG, "SELECT cu|").has(&["custom_func1", "custom_func2"]),
        c(PG, "SELECT om|").has(&["custom_func1", "custom_func2"]),
        c(PG, "SELECT | from users").has(&["custom_func1", "custom_func2"]),
        c(PG, "SELECT id, | from users u").has(&["custom_func1"]),
        c(PG, "SELECT * FROM users INNER JOIN orders USING (|").has(&["id"]).lacks(&["email", "status"]),
        // pgcli quotes `ABC`: so does dbsh, PostgreSQL would fold it to `abc`.
        c(PG, "SELECT | from \"select\"").has(&["*", "id", "\"insert\"", "\"ABC\""]),
    ]);
    v
}

#[rustfmt::skip]
fn my_and_lite(d: &'static [Dialect]) -> Vec<Case> {
    let q = d == MY;
    let mut v = shared(d);
    v.extend([
        c(d, "SELECT * FROM |").has(&["users", "orders"]).has(if q { &["`select`"] } else { &["\"select\""] }),
        // Inverted: `réveillé` needs no quotes (letters are letters on both servers);
        // the peers quote every non-ASCII name.
        c(d, "SELECT * FROM |").has(&["réveillé"]).lacks(&["`réveillé`"]),
        c(d, "SELECT | from réveillé").has(&["*", "id", "réveillé"]),
        // Inverted in part: `ABC` needs no quotes where column names ignore case; the
        // reserved `insert` does.
        c(d, "SELECT | from `select`").has(&["*", "id", "ABC"]).has(if q { &["`insert`"] } else { &["\"insert\""] }).lacks(&["`ABC`"]),
        c(d, "SELECT * |").has(&["FROM"]),
    ]);
    v
}

fn run(cases: &[Case]) -> (usize, Vec<String>) {
    let cats = [
        fixture(Dialect::Postgres),
        fixture(Dialect::Mysql),
        fixture(Dialect::Sqlite),
    ];
    let mut runs = 0;
    let mut failures = Vec::new();
    for case in cases {
        for &d in case.dialects {
            runs += 1;
            if let Err(e) = run_case(case, &cats[d as usize]) {
                failures.push(format!("[{d:?}] {:?}: {e}", case.sql));
            }
        }
    }
    (runs, failures)
}

fn check(file: &str, cases: &[Case]) {
    let (runs, failures) = run(cases);
    eprintln!("{file}: {} of {runs} pass", runs - failures.len());
    assert!(failures.is_empty(), "{file}:\n{}", failures.join("\n"));
}

#[test]
fn pgcli_public_schema_only_cases_pass() {
    check(
        "pgcli test_smart_completion_public_schema_only.py",
        &pgcli(),
    );
}

#[test]
fn mycli_public_schema_only_cases_pass() {
    check(
        "mycli test_smart_completion_public_schema_only.py",
        &my_and_lite(MY),
    );
}

#[test]
fn litecli_public_schema_only_cases_pass() {
    check(
        "litecli test_smart_completion_public_schema_only.py",
        &my_and_lite(LITE),
    );
}
