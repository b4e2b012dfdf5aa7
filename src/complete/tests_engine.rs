//! mycli's and litecli's `test_completion_engine.py` and pgcli's `test_sqlcompletion.py`
//! (they share most cases; the part that says which kinds of
//! name fit at a cursor), restated as dbsh cases on a fixture with the tables those tests
//! name. The peers assert the kinds their engine asks for; dbsh's cases assert that names
//! of those kinds are in the menu (`\u{1}kind` marks "some candidate of this kind") and
//! that names of the wrong table are not. Behaviour only; no code taken.

use super::tests::{c, run_case, Case, PG};
use crate::catalog::{Catalog, Column, Relation, RelationKind};
use crate::sql::Dialect;

const COL: &str = "\u{1}column";
const FUNC: &str = "\u{1}function";
const KW: &str = "\u{1}keyword";
const TAB: &str = "\u{1}table";
const VIEW: &str = "\u{1}view";
const SCHEMA: &str = "\u{1}schema";
const EXPR: &[&str] = &[COL, FUNC, KW];
const TABLES: &[&str] = &[TAB, SCHEMA];

fn fixture(dialect: Dialect, main: &str) -> Catalog {
    let rel = |schema: &str, name: &str, kind, cols: &[&str]| Relation {
        schema: schema.into(),
        name: name.into(),
        kind,
        columns: cols
            .iter()
            .map(|n| Column {
                name: (*n).into(),
                data_type: "int".into(),
                nullable: true,
                primary_key: false,
            })
            .collect(),
    };
    use RelationKind::{Table, View};
    Catalog {
        dialect,
        schemas: vec![main.into(), "sch".into()],
        search_path: vec![main.into()],
        relations: vec![
            rel(main, "tabl", Table, &["id", "foo", "bar", "col_name"]),
            rel(main, "tabl1", Table, &["a", "x1"]),
            rel(main, "tabl2", Table, &["b", "x2"]),
            rel(main, "abc", Table, &["id", "id2", "x", "col1", "abc_only"]),
            rel(main, "def", Table, &["id", "id2", "col1", "def_only"]),
            rel(main, "ghi", Table, &["id", "ghi_only"]),
            rel(main, "bcd", Table, &["id", "y"]),
            rel(main, "foo", Table, &["id", "fcol"]),
            rel(main, "bar", Table, &["id", "bcol"]),
            rel(main, "tbl", Table, &["col1", "col2"]),
            rel(main, "b", Table, &["id", "bonly"]),
            rel(main, "vw", View, &["id"]),
            rel("sch", "tabl", Table, &["id", "sch_col"]),
            rel("sch", "sch_only_table", Table, &["id"]),
        ],
        databases: vec![main.into()],
        current_database: main.into(),
        ..Catalog::default()
    }
}

#[rustfmt::skip]
fn cases(d: &'static [Dialect]) -> Vec<Case> {
    let mut v = vec![
        c(d, "SELECT | FROM tabl").has(EXPR).has(&["tabl", "col_name"]),
        c(d, "SELECT | FROM sch.tabl").has(EXPR).has(&["sch_col"]).lacks(&["col_name"]),
        c(d, "SELECT * FROM tabl WHERE (|").has(EXPR).has(&["col_name"]),
        c(d, "SELECT * FROM tabl WHERE foo = |").has(EXPR).has(&["col_name"]),
        c(d, "SELECT * FROM tabl WHERE bar OR |").has(EXPR).has(&["col_name"]),
        c(d, "SELECT * FROM tabl WHERE foo = 1 AND |").has(EXPR).has(&["col_name"]),
        c(d, "SELECT * FROM tabl WHERE (bar > 10 AND |").has(EXPR).has(&["col_name"]),
        c(d, "SELECT * FROM tabl WHERE (bar AND (baz OR (qux AND (|").has(EXPR).has(&["col_name"]),
        c(d, "SELECT * FROM tabl WHERE 10 < |").has(EXPR).has(&["col_name"]),
        c(d, "SELECT * FROM tabl WHERE foo BETWEEN |").has(EXPR).has(&["col_name"]),
        c(d, "SELECT * FROM tabl WHERE foo BETWEEN foo AND |").has(EXPR).has(&["col_name"]),
        c(d, "SELECT * FROM tabl WHERE foo IN (|").has(EXPR).has(&["col_name"]),
        c(d, "SELECT * FROM tabl WHERE foo IN (bar, |").has(EXPR).has(&["col_name"]),
        c(d, "SELECT * FROM tabl WHERE foo = ANY(|").has(&[COL, "col_name"]),
        // The peers offer only columns inside `max(`; dbsh also offers functions and
        // keywords (`max(DISTINCT x)`, `max(CASE ...)`): a superset on purpose.
        c(d, "SELECT MAX(| FROM tbl").has(&[COL, "col1"]),
        c(d, "SELECT MAX(col1 + | FROM tbl").has(&["col2"]),
        c(d, "SELECT MAX(col1 + col2 + | FROM tbl").has(&["col1"]),
        c(d, "SELECT |").has(&[FUNC, KW]),
        c(d, "SELECT * FROM |").has(TABLES).has(&[VIEW]),
        c(d, "INSERT INTO |").has(TABLES),
        c(d, "UPDATE |").has(TABLES),
        c(d, "SELECT * FROM foo JOIN |").has(TABLES).has(&[VIEW]),
        c(d, "SELECT * FROM sch.|").has(&["sch_only_table"]).lacks(&["tbl"]),
        c(d, "INSERT INTO sch.|").has(&["sch_only_table"]),
        c(d, "UPDATE sch.|").has(&["sch_only_table"]),
        c(d, "SELECT * FROM foo JOIN sch.|").has(&["sch_only_table"]).lacks(&["tbl"]),
        c(d, "SELECT DISTINCT | FROM tbl").has(&[COL, "col1"]),
        c(d, "SELECT a, b,| FROM tbl").has(EXPR).has(&["col1"]),
        c(d, "SELECT a, b FROM tbl1, |").has(TABLES),
        c(d, "INSERT INTO abc (|").has(&["abc_only"]).lacks(&[KW, "def_only"]),
        c(d, "INSERT INTO abc (i|").has(&["id", "id2"]),
        c(d, "INSERT INTO abc (id,|").has(&["abc_only"]),
        c(d, "SELECT * FROM tabl WHERE col_n|").first("col_name"),
        c(d, "SELECT tabl.| FROM tabl").has(&["col_name"]),
        c(d, "SELECT t1.| FROM tabl1 t1, tabl2 t2").has(&["a", "x1"]).lacks(&["b", "x2"]),
        c(d, "SELECT t1.a, t2.| FROM tabl1 t1, tabl2 t2").has(&["b"]).lacks(&["a"]),
        c(d, "SELECT * FROM (|").has(&["SELECT"]).lacks(&[COL]),
        c(d, "SELECT * FROM foo WHERE EXISTS (|").has(&["SELECT"]).lacks(&[COL]),
        c(d, "SELECT * FROM foo WHERE bar AND NOT EXISTS (|").has(&["SELECT"]).lacks(&[COL]),
        c(d, "SELECT 1 AS|").has(&["AS"]),
        c(d, "SELECT * FROM (S|").first("SELECT"),
        c(d, "SELECT * FROM foo WHERE EXISTS (S|").first("SELECT"),
        c(d, "SELECT * FROM foo WHERE bar AND NOT EXISTS (S|").first("SELECT"),
        c(d, "SELECT * FROM foo f WHERE EXISTS (SELECT 1 FROM bar WHERE f.|").has(&["fcol"]).lacks(&["bcol"]),
        c(d, "SELECT * FROM (SELECT * FROM |").has(TABLES),
        c(d, "SELECT * FROM foo WHERE EXISTS (SELECT * FROM |").has(TABLES),
        c(d, "SELECT * FROM foo WHERE bar AND NOT EXISTS (SELECT * FROM |").has(TABLES),
        c(d, "SELECT * FROM (SELECT | FROM abc").has(EXPR).has(&["abc_only"]),
        c(d, "SELECT * FROM (SELECT t.| FROM tabl t").has(&["col_name"]),
        c(d, "SELECT * FROM abc a JOIN def d ON a.|").has(&["abc_only"]).lacks(&["def_only"]),
        c(d, "SELECT * FROM abc a JOIN def d ON a.id = d.id AND a.|").has(&["abc_only"]).lacks(&["def_only"]),
        c(d, "SELECT * FROM abc a JOIN def d ON a.id = d.|").has(&["def_only"]).lacks(&["abc_only"]),
        c(d, "SELECT * FROM abc a JOIN def d ON a.id = d.id AND a.id2 = d.|").has(&["def_only"]),
        c(d, "select a.x, b.y from abc a join bcd b on |").has(&["a", "b"]),
        c(d, "select a.x, b.y from abc a join bcd b on a.id = b.id OR |").has(&["a", "b"]),
        c(d, "select abc.x, bcd.y from abc join bcd on |").has(&["abc", "bcd"]),
        c(d, "select abc.x, bcd.y from abc join bcd on abc.id = bcd.id AND |").has(&["abc", "bcd"]),
        c(d, "select a.x, b.y from abc a join bcd b on a.id = |").has(&["a", "b"]),
        c(d, "select a.x, b.y from abc a join bcd b on a.id = b.id AND a.id2 = |").has(&["a", "b"]),
        c(d, "select * from abc inner join def using (|").has(&["id", "id2", "col1"]).lacks(&["abc_only", "def_only"]),
        c(d, "select * from abc inner join def using (col1, |").has(&["id"]).lacks(&["abc_only"]),
        c(d, "SELECT * FROM abc a JOIN def d ON a.id = d.id JOIN ghi g ON g.|").has(&["ghi_only"]).lacks(&["abc_only"]),
        c(d, "SELECT * FROM abc a JOIN def d ON a.id = d.id AND a.id2 = d.id2 JOIN ghi g ON d.id = g.id AND g.|").has(&["ghi_only"]),
        c(d, "select * from a; select * from |").has(TABLES),
        c(d, "select * from a; select | from b").has(EXPR).has(&["bonly"]),
        c(d, "select * from; select * from |").has(TABLES),
        c(d, "select * from |; select * from b").has(TABLES),
    ];
    for alias in ["", "foo"] {
        for join in ["", "INNER", "LEFT", "RIGHT OUTER"] {
            let sql = format!("SELECT * FROM abc {alias} {join} JOIN |");
            v.push(c(d, Box::leak(sql.into_boxed_str())).has(TABLES));
        }
    }
    v
}

/// pgcli's own additions to the shared cases.
#[rustfmt::skip]
fn pgcli_extra() -> Vec<Case> {
    vec![
        c(PG, "select * from a; select * from |; select * from c").has(TABLES),
        c(PG, "select * from a; select | from b; select * from c").has(&["bonly"]),
        c(PG, "select | from b; select * from tbl").has(&["bonly"]).lacks(&["col1"]),
        c(PG, "create database foo with template |").has(&["\u{1}database"]),
        c(PG, "|").has(&[KW, "\u{1}special"]),
        c(PG, "    |").has(&[KW, "\u{1}special"]),
        c(PG, "\t \t|").has(&[KW, "\u{1}special"]),
        c(PG, "create table foo (dt d|").has(&["date"]).lacks(&["\u{1}special"]),
        c(PG, "DROP TABLE sch.sch_o|").first("sch_only_table"),
        c(PG, ",|"),
        c(PG, "  ,|"),
        c(PG, "sel ,|"),
    ]
}

fn check(file: &str, d: &'static [Dialect], main: &str) {
    let cat = fixture(d[0], main);
    let mut cases = cases(d);
    if d == PG {
        cases.extend(pgcli_extra());
    }
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            run_case(case, &cat)
                .err()
                .map(|e| format!("{:?}: {e}", case.sql))
        })
        .collect();
    eprintln!(
        "{file}: {} of {} pass",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{file}:\n{}", failures.join("\n"));
}

#[test]
fn mycli_completion_engine_cases_pass() {
    check(
        "mycli test/test_completion_engine.py",
        &[Dialect::Mysql],
        "test",
    );
}

#[test]
fn litecli_completion_engine_cases_pass() {
    check(
        "litecli tests/test_completion_engine.py",
        &[Dialect::Sqlite],
        "main",
    );
}

#[test]
fn pgcli_sqlcompletion_cases_pass() {
    check("pgcli tests/test_sqlcompletion.py", PG, "public");
}
