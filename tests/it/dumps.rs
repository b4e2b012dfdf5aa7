//! Dumps restore (issue 14): the sample schema is loaded with the native client, dumped with
//! the native dump tool, and restored twice into fresh databases, once through the native
//! client and once through `dbsh -f`; objects and row counts must be the same.
//!
//! These need the new SQL splitter (COPY data blocks, `/*! */` comments) to pass.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::common::{self, unique_name, Sandbox};

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// Run a native tool; its stdout, panicking with stderr when it fails.
fn tool(program: &str, args: &[&str], stdin: Option<&str>) -> String {
    String::from_utf8_lossy(&tool_bytes(program, args, stdin.map(str::as_bytes))).into_owned()
}

/// Like `tool`, byte for byte (a mariadb-dump holds BLOB values raw).
fn tool_bytes(program: &str, args: &[&str], stdin: Option<&[u8]>) -> Vec<u8> {
    let mut cmd = Command::new(program);
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("{program}: {e}"));
    if let Some(text) = stdin {
        use std::io::Write;
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(text).expect("write stdin");
    }
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn dbsh_file(url: &str, file: &std::path::Path) {
    let sb = Sandbox::new();
    let run = common::finish(
        sb.cmd()
            .arg(url)
            .arg("-f")
            .arg(file)
            .output()
            .expect("run dbsh"),
    );
    assert_eq!(run.code, 0, "dbsh -f {}: {}", file.display(), run.stderr);
}

/// Databases dropped at the end of the test.
struct Cleanup(Vec<Box<dyn Fn()>>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for f in &self.0 {
            f();
        }
    }
}

/// What a restored PostgreSQL database holds: objects by kind, functions, triggers, and
/// every table's row count.
fn pg_inventory(url: &str) -> String {
    let sql = "select 'relkind ' || relkind::text || ' ' || count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' group by relkind \
        union all select 'functions ' || count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' \
        union all select 'triggers ' || count(*) from pg_trigger where not tgisinternal \
        union all select 'rows ' || table_name || ' ' || (xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I.%I', table_schema, table_name), false, true, '')))[1]::text from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' \
        order by 1";
    tool("psql", &[url, "-X", "-At", "-c", sql], None)
}

fn pg_url(base: &str, db: &str) -> String {
    match base.rfind('/') {
        Some(i) => format!("{}/{db}", &base[..i]),
        None => base.to_string(),
    }
}

#[test]
fn a_pg_dump_of_pagila_restores_through_dbsh_as_through_psql() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let [source, by_psql, by_dbsh] =
        ["src", "psql", "dbsh"].map(|k| unique_name(&format!("dbsh_pagila_{k}")));
    let mut cleanup = Cleanup(Vec::new());
    for db in [&source, &by_psql, &by_dbsh] {
        tool(
            "psql",
            &[&url, "-X", "-qc", &format!("create database {db}")],
            None,
        );
        let (url, db) = (url.clone(), db.clone());
        cleanup.0.push(Box::new(move || {
            let _ = Command::new("psql")
                .args([
                    &url,
                    "-X",
                    "-qc",
                    &format!("drop database if exists {db} with (force)"),
                ])
                .output();
        }));
    }
    let source_url = pg_url(&url, &source);
    for f in ["pagila/pagila-schema.sql", "pagila/pagila-data.sql"] {
        let path = fixture(f);
        tool(
            "psql",
            &[
                &source_url,
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-f",
                path.to_str().unwrap(),
            ],
            None,
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("pagila.sql");
    let text = tool("pg_dump", &["--no-owner", &source_url], None);
    std::fs::write(&dump, &text).unwrap();
    tool(
        "psql",
        &[
            &pg_url(&url, &by_psql),
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-f",
            dump.to_str().unwrap(),
        ],
        None,
    );
    dbsh_file(&pg_url(&url, &by_dbsh), &dump);
    let expected = pg_inventory(&pg_url(&url, &by_psql));
    assert!(expected.contains("rows rental 16044"), "{expected}");
    assert_eq!(pg_inventory(&pg_url(&url, &by_dbsh)), expected);
}

fn mysql_url_for(base: &str, db: &str) -> String {
    match base.rfind('/') {
        Some(i) => format!("{}/{db}", &base[..i]),
        None => base.to_string(),
    }
}

/// What a restored MariaDB database holds: tables and views, routines, triggers, events,
/// and every table's row count.
fn my_inventory(db: &str) -> String {
    let mut out = tool(
        "mariadb",
        &["-h", "127.0.0.1", "-u", "root", "-N", "-e", &format!(
            "select concat('type ', table_type, ' ', count(*)) from information_schema.tables where table_schema = '{db}' group by table_type \
             union all select concat('routine ', routine_type, ' ', count(*)) from information_schema.routines where routine_schema = '{db}' group by routine_type \
             union all select concat('triggers ', count(*)) from information_schema.triggers where trigger_schema = '{db}' \
             union all select concat('events ', count(*)) from information_schema.events where event_schema = '{db}' order by 1"
        )],
        None,
    );
    let tables = tool(
        "mariadb",
        &["-h", "127.0.0.1", "-u", "root", "-N", "-e", &format!(
            "select table_name from information_schema.tables where table_schema = '{db}' and table_type = 'BASE TABLE' order by 1"
        )],
        None,
    );
    let counts: Vec<String> = tables
        .lines()
        .map(|t| format!("select concat('rows {t} ', count(*)) from `{db}`.`{t}`"))
        .collect();
    if !counts.is_empty() {
        out.push_str(&tool(
            "mariadb",
            &[
                "-h",
                "127.0.0.1",
                "-u",
                "root",
                "-N",
                "-e",
                &counts.join(" union all "),
            ],
            None,
        ));
    }
    out
}

#[test]
fn a_mariadb_dump_of_sakila_restores_through_dbsh_as_through_mariadb() {
    let Some(url) = common::mysql_url() else {
        return;
    };
    let [source, by_client, by_dbsh] =
        ["src", "cli", "dbsh"].map(|k| unique_name(&format!("dbsh_sakila_{k}")));
    let mut cleanup = Cleanup(Vec::new());
    for db in [&source, &by_client, &by_dbsh] {
        tool(
            "mariadb",
            &[
                "-h",
                "127.0.0.1",
                "-u",
                "root",
                "-e",
                &format!("create database {db}"),
            ],
            None,
        );
        let db = db.clone();
        cleanup.0.push(Box::new(move || {
            let _ = Command::new("mariadb")
                .args([
                    "-h",
                    "127.0.0.1",
                    "-u",
                    "root",
                    "-e",
                    &format!("drop database if exists {db}"),
                ])
                .output();
        }));
    }
    // The sample hard-codes its schema name; load it into the test's own database.
    for f in ["sakila/sakila-schema.sql", "sakila/sakila-data.sql"] {
        let text = std::fs::read_to_string(fixture(f)).unwrap();
        let text = text
            .replace("DROP SCHEMA IF EXISTS sakila;", "")
            .replace("CREATE SCHEMA sakila;", "")
            .replace("USE sakila;", &format!("USE {source};"))
            .replace("sakila.", &format!("{source}."));
        tool("mariadb", &["-h", "127.0.0.1", "-u", "root"], Some(&text));
    }
    let dump = tool_bytes(
        "mariadb-dump",
        &[
            "-h",
            "127.0.0.1",
            "-u",
            "root",
            "--routines",
            "--triggers",
            "--events",
            &source,
        ],
        None,
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sakila.sql");
    std::fs::write(&file, &dump).unwrap();
    tool_bytes(
        "mariadb",
        &["-h", "127.0.0.1", "-u", "root", &by_client],
        Some(&dump),
    );
    // The staff picture is a raw PNG in the dump: the file is not UTF-8.
    assert!(std::str::from_utf8(&dump).is_err());
    dbsh_file(&mysql_url_for(&url, &by_dbsh), &file);
    let expected = my_inventory(&by_client);
    assert!(expected.contains("rows rental 16044"), "{expected}");
    assert!(expected.contains("type VIEW"), "{expected}");
    assert_eq!(my_inventory(&by_dbsh), expected);
    let pictures = |db: &str| {
        tool(
            "mariadb",
            &[
                "-h",
                "127.0.0.1",
                "-u",
                "root",
                "-N",
                "-e",
                &format!("select group_concat(md5(picture) order by staff_id) from `{db}`.staff"),
            ],
            None,
        )
    };
    let original = pictures(&source);
    assert!(original.len() > 30, "{original}");
    assert_eq!(pictures(&by_client), original);
    assert_eq!(
        pictures(&by_dbsh),
        original,
        "BLOB bytes restored as they were"
    );
}
