//! Backslash commands on PostgreSQL: describe, list, `\c`, `\conninfo`, each test in a
//! schema of its own holding the fixture.

use std::process::{Command, Stdio};

use super::{run, FIXTURE};
use crate::common::{postgres_url, unique_name, Sandbox};

fn psql(url: &str, sql: &str) {
    let out = Command::new("psql")
        .args([url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .output()
        .expect("run psql");
    assert!(
        out.status.success(),
        "psql: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A schema of the test's own holding the fixture, dropped when the test ends.
struct PgSchema {
    url: String,
    name: String,
}

impl PgSchema {
    fn new(url: &str) -> PgSchema {
        let name = unique_name("dbsh_sp");
        psql(
            url,
            &format!("create schema {name}; set search_path to {name}; {FIXTURE}"),
        );
        PgSchema {
            url: url.into(),
            name,
        }
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .args([
                &self.url,
                "-X",
                "-qc",
                &format!("drop schema if exists {} cascade", self.name),
            ])
            .stderr(Stdio::null())
            .output();
    }
}

#[test]
fn postgres_describe_shows_columns_indexes_and_foreign_keys() {
    let Some(url) = postgres_url() else { return };
    let s = PgSchema::new(&url);
    let sp = format!("set search_path to {}", s.name);
    let sb = Sandbox::new();
    let r = run(
        &sb,
        &[&url, "-c", &sp, "-c", "\\d users", "-c", "\\d orders"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = r.stdout.replace(&s.name, "SCHEMA");
    insta::assert_snapshot!(text, @r#"
    SET
    Table "SCHEMA.users"
    +--------+------------------------+-----------+----------+---------------------------+
    | Column | Type                   | Collation | Nullable | Default                   |
    +--------+------------------------+-----------+----------+---------------------------+
    | id     | integer                |           | not null |                           |
    | email  | character varying(200) |           | not null |                           |
    | name   | character varying(50)  |           |          | 'anon'::character varying |
    | age    | integer                |           |          |                           |
    +--------+------------------------+-----------+----------+---------------------------+
    Indexes:
        "users_pkey" PRIMARY KEY, btree (id)
        "users_email_key" UNIQUE CONSTRAINT, btree (email)
    Check constraints:
        "users_age_check" CHECK (age > 0)
    Referenced by:
        TABLE "orders" CONSTRAINT "orders_user_id_fkey" FOREIGN KEY (user_id) REFERENCES users(id)
    Table "SCHEMA.orders"
    +---------+---------------+-----------+----------+---------+
    | Column  | Type          | Collation | Nullable | Default |
    +---------+---------------+-----------+----------+---------+
    | id      | integer       |           | not null |         |
    | user_id | integer       |           |          |         |
    | total   | numeric(10,2) |           |          |         |
    +---------+---------------+-----------+----------+---------+
    Indexes:
        "orders_pkey" PRIMARY KEY, btree (id)
        "orders_user_idx" btree (user_id)
    Check constraints:
        "total_pos" CHECK (total >= 0::numeric)
    Foreign-key constraints:
        "orders_user_id_fkey" FOREIGN KEY (user_id) REFERENCES users(id)
    "#);
    // Qualified, case-insensitive pattern; a view's definition; \d+ details.
    let r = run(&sb, &[&url, "-c", &format!("\\d+ {}.BIG_*", s.name)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("View definition:\n     SELECT orders.id,"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("| Description |"), "{}", r.stdout);
    assert!(r.stdout.contains("Size: "), "{}", r.stdout);
}

#[test]
fn postgres_describe_shows_partitioning_and_triggers_like_psql() {
    let Some(url) = postgres_url() else { return };
    let s = PgSchema::new(&url);
    psql(
        &url,
        &format!(
            "set search_path to {};
             create table m (id int, v text) partition by range (id);
             create table m1 partition of m for values from (1) to (10);
             create table m2 partition of m for values from (10) to (20);
             create function touch() returns trigger language plpgsql as $$begin return new; end$$;
             create trigger m1_touch before insert on m1 for each row execute function touch();",
            s.name
        ),
    );
    let sp = format!("set search_path to {}", s.name);
    let sb = Sandbox::new();
    let r = run(
        &sb,
        &[
            &url, "-c", &sp, "-c", "\\d m", "-c", "\\d+ m", "-c", "\\d m1",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = &r.stdout;
    for want in [
        "Partition key: RANGE (id)\nNumber of partitions: 2 (Use \\d+ to list them.)\n",
        "Partitions: m1 FOR VALUES FROM (1) TO (10),\n            m2 FOR VALUES FROM (10) TO (20)\n",
        "Partition of: m FOR VALUES FROM (1) TO (10)\n",
        "Triggers:\n    m1_touch BEFORE INSERT ON m1 FOR EACH ROW EXECUTE FUNCTION touch()\n",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
}

#[test]
fn postgres_list_commands() {
    let Some(url) = postgres_url() else { return };
    let s = PgSchema::new(&url);
    psql(&url, &format!("set search_path to {n}; create materialized view mv as select 1 as x; create sequence seq1; create type mood as enum ('sad', 'ok'); create function add1(int) returns int language sql as 'select $1 + 1'", n = s.name));
    let sb = Sandbox::new();
    let n = &s.name;
    let r = run(
        &sb,
        &[
            &url,
            "--format",
            "csv",
            "-c",
            &format!("\\dt {n}.*"),
            "-c",
            &format!("\\dv {n}.*"),
            "-c",
            &format!("\\dm {n}.*"),
            "-c",
            &format!("\\di {n}.orders*"),
            "-c",
            &format!("\\ds {n}.*"),
            "-c",
            &format!("\\dn {n}"),
            "-c",
            &format!("\\df {n}.add*"),
            "-c",
            &format!("\\dT {n}.*"),
            "-c",
            "\\du postgres",
            "-c",
            "\\l postgres",
            "-c",
            "\\dx plpgsql",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = r.stdout.replace(n.as_str(), "S");
    for want in [
        "Schema,Name,Type,Owner\nS,orders,table,",
        "\nS,users,table,",
        "Schema,Name,Type,Owner\nS,big_orders,view,",
        "Schema,Name,Type,Owner\nS,mv,materialized view,",
        "Schema,Name,Type,Owner,Table\nS,orders_pkey,index,",
        "\nS,orders_user_idx,index,",
        "Schema,Name,Type,Owner\nS,seq1,sequence,",
        "Name,Owner\nS,",
        "Schema,Name,Result data type,Argument data types,Type\nS,add1,integer,integer,func\n",
        "Schema,Name,Description\nS,S.mood,\n",
        "Role name,Attributes\npostgres,\"Superuser, Create role, Create DB, Replication, Bypass RLS\"\n",
        "Name,Owner,Encoding,Collate,Ctype,Access privileges\npostgres,",
        "Name,Version,Schema,Description\nplpgsql,1.0,pg_catalog,PL/pgSQL procedural language\n",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    // The relations of other schemas stay out of a schema-qualified listing.
    assert!(!text.contains("pg_class"), "{text}");
}

#[test]
fn postgres_connect_switches_database_and_conninfo_hides_the_password() {
    let Some(url) = postgres_url() else { return };
    let sb = Sandbox::new();
    let r = run(
        &sb,
        &[
            &url,
            "-c",
            "\\c template1",
            "-c",
            "select current_database()",
            "-c",
            "\\conninfo",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("You are now connected to database \"template1\""),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("| template1        |"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("You are connected to postgres database \"template1\""),
        "{}",
        r.stdout
    );
    // A database that does not exist: the old connection stays.
    let r = run(
        &sb,
        &[
            &url,
            "--continue-on-error",
            "-c",
            "\\c no_such_db_here",
            "-c",
            "select current_database() = current_database() as ok",
        ],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("Previous connection kept."),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("| t  |"), "{}", r.stdout);
    // A password in the URL never shows.
    let with_pw = url.replacen("://postgres@", "://postgres:sekrit-pw@", 1);
    let r = run(&sb, &[&with_pw, "-c", "\\conninfo"]);
    assert!(
        !r.stdout.contains("sekrit-pw") && !r.stderr.contains("sekrit-pw"),
        "{}{}",
        r.stdout,
        r.stderr
    );
}

#[test]
fn postgres_conninfo_states_tls_only_when_the_connection_uses_it() {
    let Some(url) = postgres_url() else { return };
    let sep = if url.contains('?') { '&' } else { '?' };
    let sb = Sandbox::new();
    let plain = run(
        &sb,
        &[&format!("{url}{sep}sslmode=disable"), "-c", "\\conninfo"],
    );
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert!(!plain.stdout.contains("SSL connection"), "{}", plain.stdout);
    // The server may not offer TLS; then there is nothing to state.
    let tls = run(
        &sb,
        &[&format!("{url}{sep}sslmode=require"), "-c", "\\conninfo"],
    );
    if tls.code != 0 {
        crate::common::skipped(&format!(
            "SKIPPED: the server does not offer TLS: {}",
            tls.stderr
        ));
        return;
    }
    assert!(
        tls.stdout.contains("SSL connection (protocol: TLSv1."),
        "{}",
        tls.stdout
    );
    assert!(tls.stdout.contains(", cipher: "), "{}", tls.stdout);
}
