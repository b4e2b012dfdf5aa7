//! Catalog loading from each real server: mixed-case and reserved-word names, several
//! schemas, a view, foreign keys; and the on-disk snapshot.

use dbsh::catalog::load::load;
use dbsh::catalog::{Catalog, RelationKind};
use dbsh::db::Connection;

use crate::common::{connect, mysql_url, postgres_url, runtime, unique_name};

async fn run(conn: &mut Connection, sql: &str) {
    if let Err(e) = dbsh::db::collect::query_text(conn, sql).await {
        panic!("{sql}: {e}");
    }
}

fn relation<'a>(c: &'a Catalog, schema: &str, name: &str) -> &'a dbsh::catalog::Relation {
    c.relations
        .iter()
        .find(|r| r.schema == schema && r.name == name)
        .unwrap_or_else(|| panic!("{schema}.{name} not in catalog"))
}

#[test]
fn sqlite_catalog_with_fks_views_and_attached_databases() {
    runtime().block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("other.db");
        let mut conn = connect("sqlite::memory:").await;
        run(&mut conn, "create table \"Order Items\" (id integer primary key, \"select\" text)").await;
        run(&mut conn, "create table parent(id integer primary key, name text not null)").await;
        run(&mut conn, "create table child(id integer primary key, parent_id int references parent, note text)").await;
        run(&mut conn, "create view v as select id from parent").await;
        run(&mut conn, &format!("attach '{}' as other", other.display())).await;
        run(&mut conn, "create table other.far(x int)").await;
        let c = load(&mut conn).await.unwrap();
        assert!(c.schemas.contains(&"other".to_string()), "{:?}", c.schemas);
        let oi = relation(&c, "main", "Order Items");
        assert_eq!(&*oi.columns[1].name, "select");
        assert!(oi.columns[0].primary_key);
        assert_eq!(relation(&c, "main", "v").kind, RelationKind::View);
        relation(&c, "other", "far");
        let fk = c.foreign_keys.iter().find(|f| &*f.from_table == "child").unwrap();
        assert_eq!(fk.from_columns, ["parent_id".into()]);
        assert_eq!((&*fk.to_table, fk.to_columns.clone()), ("parent", vec!["id".into()]));
    });
}

#[test]
fn postgres_catalog() {
    let Some(url) = postgres_url() else { return };
    runtime().block_on(async {
        let mut conn = connect(&url).await;
        let a = unique_name("cat_a");
        let b = unique_name("cat_b");
        run(&mut conn, &format!("create schema {a}; create schema {b}")).await;
        let setup = format!(
            "create table {a}.\"Customers\" (id int primary key, \"user\" text); \
             create table {a}.orders (id int primary key, customer_id int references {a}.\"Customers\"(id), total numeric(10,2)); \
             create view {a}.big_orders as select * from {a}.orders where total > 100; \
             create table {b}.elsewhere (x int); \
             create table {b}.pair (gone int, a int, b int, primary key (b, a)); \
             alter table {b}.pair drop column gone; \
             create table {a}.pair_ref (id int primary key, old int, pa int, pb int, \
               foreign key (pb, pa) references {b}.pair (b, a)); \
             alter table {a}.pair_ref drop column old; \
             create type {a}.mood as enum ('sad', 'ok', 'happy'); \
             create function {a}.nums(n int) returns setof int language sql as 'select generate_series(1, n)'"
        );
        run(&mut conn, &setup).await;
        run(&mut conn, &format!("set search_path = {a}, public")).await;
        let c = load(&mut conn).await;
        run(&mut conn, &format!("drop schema {a} cascade; drop schema {b} cascade")).await;
        let c = c.unwrap();
        assert_eq!(c.search_path.first(), Some(&a));
        let cust = relation(&c, &a, "Customers");
        assert_eq!(&*cust.columns[1].name, "user");
        assert_eq!(&*relation(&c, &a, "orders").columns[2].data_type, "numeric(10,2)");
        assert_eq!(relation(&c, &a, "big_orders").kind, RelationKind::View);
        relation(&c, &b, "elsewhere");
        let of = |t: &str| c.foreign_keys.iter().find(|f| *f.from_schema == *a && *f.from_table == *t);
        let fk = of("orders").unwrap();
        assert_eq!(&*fk.to_table, "Customers");
        assert_eq!(fk.from_columns, ["customer_id".into()]);
        // Keys are named from column numbers: dropped columns and a key declared in
        // another order than its columns must not shift the names.
        let pair = relation(&c, &b, "pair");
        let names: Vec<&str> = pair.columns.iter().map(|c| &*c.name).collect();
        assert_eq!(names, ["a", "b"]);
        assert!(pair.columns.iter().all(|c| c.primary_key));
        let fk = of("pair_ref").unwrap();
        assert_eq!((&*fk.to_schema, &*fk.to_table), (b.as_str(), "pair"));
        assert_eq!(fk.from_columns, ["pb".into(), "pa".into()]);
        assert_eq!(fk.to_columns, ["b".into(), "a".into()]);
        let mood = c.types.iter().find(|t| t.name == "mood").unwrap();
        assert_eq!(mood.enum_labels, ["sad", "ok", "happy"]);
        let nums = c.functions.iter().find(|f| f.schema == a && f.name == "nums").unwrap();
        assert!(nums.returns_set);
        assert_eq!(nums.arguments, "n integer");
        assert!(c.databases.contains(&"postgres".to_string()));
    });
}

#[test]
fn mysql_catalog() {
    let Some(url) = mysql_url() else { return };
    runtime().block_on(async {
        let mut conn = connect(&url).await;
        if conn.backend() != dbsh::db::Backend::Mysql {
            return;
        }
        let db = unique_name("cat_my");
        run(&mut conn, &format!("create database {db}")).await;
        let setup = [
            format!("create table {db}.`Customers` (id int primary key, `select` text)"),
            format!("create table {db}.orders (id int primary key, customer_id int, total decimal(10,2), foreign key (customer_id) references {db}.`Customers`(id))"),
            format!("create view {db}.big as select * from {db}.orders where total > 100"),
            format!("use {db}"),
        ];
        for s in &setup {
            run(&mut conn, s).await;
        }
        let c = load(&mut conn).await;
        run(&mut conn, &format!("drop database {db}")).await;
        let c = c.unwrap();
        assert_eq!(c.current_database, db);
        let cust = relation(&c, &db, "Customers");
        assert_eq!(&*cust.columns[1].name, "select");
        assert_eq!(&*relation(&c, &db, "orders").columns[2].data_type, "decimal(10,2)");
        assert_eq!(relation(&c, &db, "big").kind, RelationKind::View);
        let fk = c.foreign_keys.iter().find(|f| *f.from_schema == *db).unwrap();
        assert_eq!((&*fk.to_table, fk.to_columns.clone()), ("Customers", vec!["id".into()]));
    });
}

/// A big MySQL catalog is read in parts (columns by database and first letter, over two
/// connections) with foreign keys from InnoDB's own lists: that must give exactly what one
/// read of everything from information_schema gives, whatever the names (a database with
/// `-`, which InnoDB spells `@002d`; names starting with capitals, digits, `_`, a
/// non-ASCII letter; a two-column key declared in another order than its columns).
#[test]
fn mysql_catalog_read_in_parallel_parts_equals_one_read_whole() {
    use dbsh::catalog::mysql::{load, Plan};
    let Some(url) = mysql_url() else { return };
    runtime().block_on(async {
        let mut conn = connect(&url).await;
        if conn.backend() != dbsh::db::Backend::Mysql {
            return;
        }
        let db = format!("{}-x", unique_name("cat_parts"));
        let q = format!("`{db}`");
        let mut setup = vec![
            format!("create database {q}"),
            format!("create table {q}.parent (a int, b int, primary key (b, a))"),
            format!("create table {q}.`Child` (id int primary key, pa int, pb int, foreign key (pb, pa) references {q}.parent (b, a))"),
            format!("create view {q}.`_v` as select id from {q}.`Child`"),
            format!("create table {q}.`été` (id int primary key, `prénom` text)"),
        ];
        for name in ["alpha", "Alpha2", "beta", "9lives", "_under", "zeta"] {
            setup.push(format!("create table {q}.`{name}` (id int primary key, p_id int, foreign key (p_id) references {q}.`Child` (id))"));
        }
        for s in &setup {
            run(&mut conn, s).await;
        }
        let target =
            dbsh::db::Target::parse(Some(&url), &dbsh::db::ConnectParams::default()).unwrap();
        let parts = Plan {
            parallel_from: 1,
            split_schema_from: 2,
            batch_tables: 3,
            innodb_keys: true,
        };
        let whole = Plan {
            innodb_keys: false,
            ..Plan::default()
        };
        let parts = load(&mut conn, Some(&target), parts).await;
        let whole = load(&mut conn, None, whole).await;
        run(&mut conn, &format!("drop database {q}")).await;
        let (parts, whole) = (parts.unwrap(), whole.unwrap());
        let mine = |c: &Catalog| {
            let rels: Vec<_> = c.relations.iter().filter(|r| r.schema == db).cloned().collect();
            let mut keys: Vec<String> = c
                .foreign_keys
                .iter()
                .filter(|k| *k.from_schema == *db)
                .map(|k| {
                    let (from, to) = (k.from_columns.join(","), k.to_columns.join(","));
                    format!("{}({from}) -> {}.{}({to})", k.from_table, k.to_schema, k.to_table)
                })
                .collect();
            keys.sort();
            (rels, keys)
        };
        let (rels, keys) = mine(&parts);
        assert_eq!((&rels, &keys), (&mine(&whole).0, &mine(&whole).1));
        assert_eq!(rels.len(), 10, "{rels:#?}");
        assert!(rels.iter().all(|r| !r.columns.is_empty()), "{rels:#?}");
        assert_eq!(relation(&parts, &db, "_v").kind, RelationKind::View);
        assert_eq!(&*relation(&parts, &db, "été").columns[1].name, "prénom");
        assert!(keys.contains(&format!("Child(pb,pa) -> {db}.parent(b,a)")), "{keys:#?}");
        assert!(keys.contains(&format!("9lives(p_id) -> {db}.Child(id)")), "{keys:#?}");
        assert_eq!(keys.len(), 7, "{keys:#?}");
    });
}

/// After `CREATE TABLE a.fresh` only schema `a` is reloaded: the new table (and its key
/// into `b`) appears, a table made in `b` behind the loader's back does not, and the rest
/// of the catalog is kept. `create_b` makes `b.sneaky`; `ddl` is the statement's text.
async fn only_the_touched_schema_is_reloaded(
    conn: &mut Connection,
    a: &str,
    b: &str,
    ddl: &str,
    create_b: &str,
) -> (Catalog, bool) {
    use dbsh::catalog::refresh::load_schema;
    use dbsh::sql::touched::touched;
    let before = load(conn).await.unwrap();
    run(conn, ddl).await;
    run(conn, create_b).await;
    let schema = before.schema_touched(&touched(ddl, before.dialect));
    assert_eq!(schema.as_deref(), Some(a), "{ddl}");
    let part = load_schema(conn, a).await.unwrap();
    let incoming = part.incoming_keys;
    let after = before.with_schema(part);
    let fresh = relation(&after, a, "fresh");
    assert_eq!(fresh.columns.len(), 2);
    assert!(after.relations.iter().all(|r| r.name != "sneaky"));
    relation(&after, b, "t");
    relation(&after, a, "t");
    let fk = after
        .foreign_keys
        .iter()
        .find(|f| &*f.from_table == "fresh");
    assert_eq!(
        fk.map(|f| &*f.to_table),
        Some("t"),
        "{:?}",
        after.foreign_keys
    );
    assert_eq!(after.functions, before.functions);
    assert_eq!(after.relations.len(), before.relations.len() + 1);
    (after, incoming)
}

#[test]
fn postgres_refresh_of_one_schema() {
    let Some(url) = postgres_url() else { return };
    runtime().block_on(async {
        let mut conn = connect(&url).await;
        let a = unique_name("ref_a");
        let b = unique_name("ref_b");
        run(&mut conn, &format!("create schema {a}; create schema {b}")).await;
        run(
            &mut conn,
            &format!(
                "create table {a}.t (id int primary key); create table {b}.t (id int primary key)"
            ),
        )
        .await;
        let ddl = format!("CREATE TABLE {a}.fresh (id int primary key, t_id int references {a}.t)");
        only_the_touched_schema_is_reloaded(
            &mut conn,
            &a,
            &b,
            &ddl,
            &format!("create table {b}.sneaky (x int)"),
        )
        .await;
        run(
            &mut conn,
            &format!("drop schema {a} cascade; drop schema {b} cascade"),
        )
        .await;
    });
}

#[test]
fn mysql_refresh_of_one_database() {
    let Some(url) = mysql_url() else { return };
    runtime().block_on(async {
        let mut conn = connect(&url).await;
        if conn.backend() != dbsh::db::Backend::Mysql {
            return;
        }
        let a = unique_name("ref_a");
        let b = unique_name("ref_b");
        for s in [
            format!("create database {a}"),
            format!("create database {b}"),
            format!("create table {a}.t (id int primary key)"),
            format!("create table {b}.t (id int primary key)"),
        ] {
            run(&mut conn, &s).await;
        }
        let ddl = format!("CREATE TABLE {a}.fresh (id int primary key, t_id int, foreign key (t_id) references {a}.t (id))");
        // Made behind the loader's back, with a key into `a`: the table is not reloaded,
        // its key into `a` is (as on PostgreSQL), read from InnoDB's key lists.
        let sneaky = format!(
            "create table {b}.sneaky (x int, t_id int, foreign key (t_id) references {a}.t (id))"
        );
        let (after, incoming) =
            only_the_touched_schema_is_reloaded(&mut conn, &a, &b, &ddl, &sneaky).await;
        let version = dbsh::db::collect::query_text(&mut conn, "select version()").await;
        run(&mut conn, &format!("drop database {b}")).await;
        run(&mut conn, &format!("drop database {a}")).await;
        if version.unwrap()[0][0].as_deref().unwrap_or("").contains("MariaDB") {
            assert!(incoming, "MariaDB's InnoDB key lists were not read");
        }
        if incoming {
            let key = after.foreign_keys.iter().find(|f| &*f.from_table == "sneaky");
            assert_eq!(key.map(|f| (&*f.to_schema, &*f.to_table)), Some((a.as_str(), "t")));
        }
    });
}

#[test]
fn sqlite_refresh_of_one_attached_database() {
    runtime().block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = connect("sqlite::memory:").await;
        run(
            &mut conn,
            &format!("attach '{}' as a", dir.path().join("a.db").display()),
        )
        .await;
        run(
            &mut conn,
            &format!("attach '{}' as b", dir.path().join("b.db").display()),
        )
        .await;
        run(&mut conn, "create table a.t (id integer primary key)").await;
        run(&mut conn, "create table b.t (id integer primary key)").await;
        let ddl = "CREATE TABLE a.fresh (id integer primary key, t_id int references t (id))";
        only_the_touched_schema_is_reloaded(
            &mut conn,
            "a",
            "b",
            ddl,
            "create table b.sneaky (x int)",
        )
        .await;
    });
}
