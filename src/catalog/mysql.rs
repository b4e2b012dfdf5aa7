//! MySQL/MariaDB introspection over information_schema, in a few set-based queries, with
//! foreign keys from InnoDB's own key lists where they can be read (also for `\d`'s
//! "Referenced by"). On a big server the columns are read in parts, by database and first
//! letter, over two connections; the parts must add up to one whole read (a test says so).

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};

use super::rows::{cell, column, foreign_keys, FastHash, Interner};
use super::{Catalog, Column, ForeignKey, Function, Relation, RelationKind};
use crate::db::collect::{
    cell_text, for_each_row, literal, query_text, query_texts_until_error, TextRows,
};
use crate::db::{Backend, Connection, DbError, Target};
use crate::result::Value;
use crate::sql::Dialect;

const SYSTEM: &str = "('mysql', 'information_schema', 'performance_schema', 'sys')";
/// Tables and columns also come from the two system schemas an incident needs
/// (`performance_schema`, `information_schema`); completion ranks them last.
const NOT_LISTED: &str = "('mysql', 'sys')";

/// Loads with one connection, or on a big server (`Plan::parallel_from` tables) also with
/// a second one to `more`: the server reads table definitions one core per connection.
/// Two round trips: everything but the columns, then the columns of the tables named.
pub async fn load(
    conn: &mut Connection,
    more: Option<&Target>,
    plan: Plan,
) -> Result<Catalog, DbError> {
    let mut c = Catalog {
        dialect: Dialect::Mysql,
        ..Catalog::default()
    };
    // Independent queries, in one submission. Names only: asking for a table's type makes
    // MariaDB open its definition (4.8 s at 50,000 tables, 0.4 s so). The last three may
    // fail (see `INNODB_KEYS`, `HELP`); the server then runs none after the failure.
    let mut batch = vec![
        "SELECT schema_name FROM information_schema.schemata ORDER BY 1".to_string(),
        "SELECT DATABASE()".to_string(),
        "SELECT @@lower_case_table_names".to_string(),
        "SELECT character_set_name FROM information_schema.character_sets ORDER BY 1".to_string(),
        "SELECT collation_name FROM information_schema.collations ORDER BY 1".to_string(),
        tables_sql(&format!("table_schema NOT IN {NOT_LISTED}")),
        views_sql(&format!("table_schema NOT IN {NOT_LISTED}")),
        format!(
            "SELECT r.routine_schema, r.routine_name, \
                    COALESCE(GROUP_CONCAT(CONCAT(p.parameter_name, ' ', p.dtd_identifier) ORDER BY p.ordinal_position SEPARATOR ', '), ''), \
                    COALESCE(r.dtd_identifier, ''), r.routine_type \
             FROM information_schema.routines r \
             LEFT JOIN information_schema.parameters p \
               ON p.specific_schema = r.routine_schema AND p.specific_name = r.specific_name AND p.ordinal_position > 0 \
             WHERE r.routine_schema NOT IN {SYSTEM} \
             GROUP BY r.routine_schema, r.routine_name, r.dtd_identifier, r.routine_type"
        ),
    ];
    let needed = batch.len();
    if plan.innodb_keys {
        batch.extend(INNODB_KEYS.iter().map(|q| q.to_string()));
    }
    batch.push(HELP.to_string());
    let (mut results, error) = query_texts_until_error(conn, &batch).await;
    if results.len() < needed {
        return Err(error.unwrap_or_else(|| DbError::query("catalog queries: missing results")));
    }
    let mut optional = results.split_off(needed).into_iter();
    let innodb = if plan.innodb_keys {
        optional.next().zip(optional.next())
    } else {
        None
    };
    let help = optional.next();
    let Ok([databases, database, lower_case, charsets, collations, tables, views, funcs]) =
        <[TextRows; 8]>::try_from(results)
    else {
        return Err(DbError::query("catalog queries: wrong number of results"));
    };
    c.databases = column(databases);
    c.schemas = c.databases.clone();
    c.current_database = column(database).into_iter().next().unwrap_or_default();
    // 0: names compare with case (Linux default); 1 and 2: without.
    c.case_sensitive_tables = column(lower_case).first().is_some_and(|v| v.trim() == "0");
    c.charsets = column(charsets);
    c.collations = column(collations);
    if !c.current_database.is_empty() {
        c.search_path = vec![c.current_database.clone()];
    }
    c.functions = funcs
        .iter()
        .map(|r| Function {
            schema: cell(r, 0),
            name: cell(r, 1),
            arguments: cell(r, 2),
            return_type: cell(r, 3),
            returns_set: false,
        })
        .collect();

    let mut read = Columns::new(tables);
    read.mark_views(&views);
    let innodb = innodb.and_then(|(keys, columns)| innodb_keys(&keys, &columns));
    let (keys, help) = match innodb {
        Some(keys) => (read.innodb_keys(keys), help),
        // Without InnoDB's lists (or with names not read here) from information_schema;
        // the help query, if it came after a failed list, too.
        None => {
            let mut batch = vec![foreign_keys_sql(&format!("table_schema NOT IN {SYSTEM}"))];
            if help.is_none() {
                batch.push(HELP.to_string());
            }
            let (mut results, error) = query_texts_until_error(conn, &batch).await;
            if results.is_empty() {
                return Err(
                    error.unwrap_or_else(|| DbError::query("catalog queries: missing results"))
                );
            }
            let help = help.or_else(|| (results.len() == 2).then(|| results.pop()).flatten());
            (foreign_keys(&results[0]), help)
        }
    };
    c.foreign_keys = keys;

    let read = RefCell::new(read);
    let queue = RefCell::new(read.borrow().batches(plan));
    let mut second = match more {
        Some(t) if read.borrow().relations.len() >= plan.parallel_from => {
            Connection::connect(t).await.ok()
        }
        _ => None,
    };
    match &mut second {
        Some(b) => {
            let (one, two) = tokio::join!(drain(conn, &queue, &read), drain(b, &queue, &read));
            one.and(two)?;
        }
        None => drain(conn, &queue, &read).await?,
    }
    c.relations = read.into_inner().finish();

    if let Some(rows) = help {
        // Help topics spell `_` as `\_` (LIKE-escaped).
        let names = column(rows)
            .into_iter()
            .map(|n| n.replace("\\_", "_"))
            .filter(|n| {
                !n.is_empty() && n.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
            });
        c.functions.extend(names.map(|name| Function {
            schema: "mysql".into(),
            name,
            arguments: String::new(),
            return_type: "built-in".into(),
            returns_set: false,
        }));
    }
    Ok(c)
}

/// The server's built-in functions, from its help tables (MySQL and MariaDB differ; the
/// tables may be empty or unreadable, then the fixed list in `complete` serves).
const HELP: &str = "SELECT DISTINCT LOWER(t.name) FROM mysql.help_topic t \
     JOIN mysql.help_category k ON k.help_category_id = t.help_category_id \
     WHERE k.name LIKE '%Function%' ORDER BY 1";

/// Every foreign key, from InnoDB's own lists. MariaDB answers `key_column_usage` by
/// opening every table in the storage engine (70 s at 50,000 tables with the default
/// table cache); these lists answer in 0.7 s. They need the PROCESS privilege and name
/// tables in the server's file name encoding: without the privilege (or on MySQL 8, whose
/// `key_column_usage` is fast and has no such tables) or with a name not decoded here,
/// `key_column_usage` serves.
pub(crate) const INNODB_KEYS: [&str; 2] = [
    "SELECT id, for_name, ref_name, type FROM information_schema.innodb_sys_foreign",
    "SELECT id, pos, for_col_name, ref_col_name FROM information_schema.innodb_sys_foreign_cols",
];

/// How a load reads the catalog: how it splits the column queries, where keys come from.
/// Tests make every split happen on small schemas and compare the two sources of keys.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Tables from which a load takes a second connection.
    pub parallel_from: usize,
    /// Tables of a database above which its columns are asked for by first letter:
    /// MariaDB opens only the table definitions a `table_schema = ... AND table_name LIKE
    /// 'x%'` names, so the parts can run side by side.
    pub split_schema_from: usize,
    /// Tables per batch of column queries.
    pub batch_tables: usize,
    /// Foreign keys from InnoDB's own lists where they can be read (`INNODB_KEYS`).
    pub innodb_keys: bool,
}

impl Default for Plan {
    fn default() -> Plan {
        Plan {
            parallel_from: 5_000,
            split_schema_from: 500,
            batch_tables: 2_000,
            innodb_keys: true,
        }
    }
}

/// Column batches from `queue` on `conn` until none is left.
async fn drain(
    conn: &mut Connection,
    queue: &RefCell<VecDeque<Vec<Statement>>>,
    read: &RefCell<Columns>,
) -> Result<(), DbError> {
    loop {
        let Some(batch) = queue.borrow_mut().pop_front() else {
            return Ok(());
        };
        let (number, sql) = read.borrow_mut().next_batch(batch);
        for_each_row(conn, &sql, |set, row| {
            read.borrow_mut().row(number + set, row);
        })
        .await?;
    }
}

/// The tables and foreign keys of one database, for a refresh after DDL that touched only
/// it: its tables, and the foreign keys from it and, where InnoDB's key lists can be read,
/// into it (true then). From information_schema only the keys from it: asking there for
/// those into it makes the server open every table of every database.
pub async fn load_schema(conn: &mut Connection, schema: &str) -> Result<(Catalog, bool), DbError> {
    let mut c = Catalog {
        dialect: Dialect::Mysql,
        ..Catalog::default()
    };
    let lit = literal(schema, Backend::Mysql);
    let mut batch = vec![
        tables_sql(&format!("table_schema = {lit}")),
        views_sql(&format!("table_schema = {lit}")),
    ];
    batch.extend(INNODB_KEYS.iter().map(|q| q.to_string()));
    let (mut results, error) = query_texts_until_error(conn, &batch).await;
    if results.len() < 2 {
        return Err(error.unwrap_or_else(|| DbError::query("catalog queries: missing results")));
    }
    let innodb = match (results.len() == batch.len(), results.split_off(2)) {
        (true, lists) => lists
            .get(1)
            .and_then(|columns| innodb_keys(&lists[0], columns)),
        _ => None,
    };
    let [tables, views] = <[TextRows; 2]>::try_from(results)
        .map_err(|_| DbError::query("catalog queries: wrong number of results"))?;
    let mut read = Columns::new(tables);
    for batch in read.batches(Plan::default()) {
        let (number, sql) = read.next_batch(batch);
        for_each_row(conn, &sql, |set, row| read.row(number + set, row)).await?;
    }
    read.mark_views(&views);
    c.relations = read.finish();
    let incoming = innodb.is_some();
    c.foreign_keys = match innodb {
        Some(keys) => {
            let mut shared = Interner::default();
            keys.iter()
                .filter(|k| k.from.0 == schema || k.to.0 == schema)
                .map(|k| k.foreign_key(&mut shared))
                .collect()
        }
        None => foreign_keys(
            &query_text(conn, &foreign_keys_sql(&format!("table_schema = {lit}"))).await?,
        ),
    };
    Ok((c, incoming))
}

/// Names of the tables and views of the databases `schemas` (a condition on
/// `table_schema`).
fn tables_sql(schemas: &str) -> String {
    format!(
        "SELECT table_schema, table_name \
         FROM information_schema.tables \
         WHERE {schemas} \
         ORDER BY table_schema, table_name"
    )
}

/// Views (and information_schema's `SYSTEM VIEW`s) of the databases `schemas`: a
/// condition on `table_type`, which MariaDB checks
/// from each definition's first bytes (0.45 s at 50,000 tables), where selecting it for
/// every table parses every definition (4.8 s).
fn views_sql(schemas: &str) -> String {
    format!(
        "SELECT table_schema, table_name FROM information_schema.tables \
         WHERE table_type LIKE '%VIEW' AND {schemas}"
    )
}

// Columns are read apart from tables and joined here: MariaDB runs a join of
// information_schema.tables with .columns as a nested loop that re-reads every table's
// definition per table (about 100 s for 5,000 tables; 0.4 s apart). Unordered: sorting a
// million rows cost the server as much as reading them.

/// The columns of some tables of one database, in no order.
struct Statement {
    schema: String,
    sql: String,
}

impl Statement {
    /// Columns of database `schema` (a literal) where `filter` (on `table_name`) holds.
    fn columns(schema: &str, filter: Option<String>) -> Statement {
        let s = literal(schema, Backend::Mysql);
        let and = filter.map(|f| format!(" AND {f}")).unwrap_or_default();
        Statement {
            schema: schema.to_string(),
            sql: format!(
                "SELECT table_name, column_name, column_type, is_nullable, column_key, \
                        ordinal_position \
                 FROM information_schema.columns WHERE table_schema = {s}{and}"
            ),
        }
    }
}

/// The relations named by the tables query, filled with the columns that arrive.
struct Columns {
    relations: Vec<Relation>,
    /// Schema -> table -> position in `relations`.
    positions: HashMap<String, HashMap<String, usize, FastHash>, FastHash>,
    /// Per relation: (ordinal, column), sorted at the end.
    columns: Vec<Vec<(u32, Column)>>,
    /// Per relation: the statement whose rows filled it. Two `LIKE` patterns may both
    /// select a table (`a%` and `A%` where names fold); only the first one's rows count.
    filled_by: Vec<usize>,
    /// The database of each statement sent so far, by statement number.
    schema_of: Vec<String>,
    /// The last row's (statement, table, position): a table's rows come one after another.
    last: Option<(usize, String, usize)>,
    names: Interner,
}

impl Columns {
    fn new(tables: TextRows) -> Columns {
        let mut c = Columns {
            relations: Vec::with_capacity(tables.len()),
            positions: HashMap::default(),
            columns: Vec::with_capacity(tables.len()),
            filled_by: Vec::with_capacity(tables.len()),
            schema_of: Vec::new(),
            last: None,
            names: Interner::default(),
        };
        for r in tables {
            let (schema, name) = (cell(&r, 0), cell(&r, 1));
            c.positions
                .entry(schema.clone())
                .or_default()
                .insert(name.clone(), c.relations.len());
            c.relations.push(Relation {
                schema,
                name,
                kind: RelationKind::Table,
                columns: Vec::new(),
            });
            c.columns.push(Vec::new());
            c.filled_by.push(usize::MAX);
        }
        c
    }

    fn position(&self, schema: &str, name: &str) -> Option<usize> {
        self.positions.get(schema)?.get(name).copied()
    }

    /// Mark as views the relations named by rows of `views_sql`.
    fn mark_views(&mut self, views: &TextRows) {
        for r in views {
            if let Some(i) = self.position(&cell(r, 0), &cell(r, 1)) {
                self.relations[i].kind = RelationKind::View;
            }
        }
    }

    /// Column statements covering every relation once, in batches of about
    /// `plan.batch_tables` tables: a database per statement, a big one by first letter.
    fn batches(&self, plan: Plan) -> VecDeque<Vec<Statement>> {
        let mut parts: Vec<(Statement, usize)> = Vec::new();
        let mut schemas: Vec<&String> = self.positions.keys().collect();
        schemas.sort();
        for schema in schemas {
            let tables = &self.positions[schema];
            if tables.len() < plan.split_schema_from {
                parts.push((Statement::columns(schema, None), tables.len()));
                continue;
            }
            let mut letters: HashMap<char, usize> = HashMap::new();
            for name in tables.keys() {
                match name.chars().next() {
                    Some(ch) if ch.is_ascii_alphanumeric() => *letters.entry(ch).or_default() += 1,
                    // Anything a pattern would need escaping for: by its whole name.
                    _ => {
                        let name = format!("table_name = {}", literal(name, Backend::Mysql));
                        parts.push((Statement::columns(schema, Some(name)), 1));
                    }
                }
            }
            let mut letters: Vec<(char, usize)> = letters.into_iter().collect();
            letters.sort();
            for (ch, n) in letters {
                let filter = format!("table_name LIKE '{ch}%'");
                parts.push((Statement::columns(schema, Some(filter)), n));
            }
        }
        let mut batches = VecDeque::new();
        let mut batch = Vec::new();
        let mut size = 0;
        for (sql, n) in parts {
            batch.push(sql);
            size += n;
            if size >= plan.batch_tables {
                batches.push_back(std::mem::take(&mut batch));
                size = 0;
            }
        }
        if !batch.is_empty() {
            batches.push_back(batch);
        }
        batches
    }

    /// Number the statements of a batch about to be sent: the first one's number, and
    /// the batch as one submission.
    fn next_batch(&mut self, batch: Vec<Statement>) -> (usize, String) {
        let first = self.schema_of.len();
        let mut sql = Vec::with_capacity(batch.len());
        for st in batch {
            self.schema_of.push(st.schema);
            sql.push(st.sql);
        }
        (first, sql.join(";\n"))
    }

    /// One row of statement number `statement`.
    fn row(&mut self, statement: usize, row: &[Value<'_>]) {
        let text = |i: usize| row.get(i).and_then(cell_text).unwrap_or_default();
        let table = text(0);
        let i = match &self.last {
            Some((st, name, i)) if *st == statement && *name == *table => *i,
            _ => {
                let schema = self.schema_of.get(statement).map_or("", String::as_str);
                let Some(i) = self.position(schema, &table) else {
                    return; // a table created after the tables query
                };
                self.last = Some((statement, table.into_owned(), i));
                i
            }
        };
        if self.filled_by[i] == usize::MAX {
            self.filled_by[i] = statement;
        } else if self.filled_by[i] != statement {
            return;
        }
        let Some(name) = row.get(1).and_then(cell_text) else {
            return;
        };
        let column = Column {
            name: self.names.get_str(&name),
            data_type: self.names.get_str(&text(2)),
            nullable: text(3) == "YES",
            primary_key: text(4) == "PRI",
        };
        self.columns[i].push((text(5).parse().unwrap_or(0), column));
    }

    /// Foreign keys as InnoDB lists them, named as the tables query named their tables;
    /// keys from tables not read here (other databases) are left out.
    fn innodb_keys(&self, keys: Vec<InnodbKey>) -> Vec<ForeignKey> {
        let mut shared = Interner::default();
        keys.into_iter()
            .filter_map(|k| {
                let from = self.position(&k.from.0, &k.from.1)?;
                // Named as the tables query named the table (the same file name).
                let from = &self.relations[from];
                let mut key = k.foreign_key(&mut shared);
                key.from_schema = shared.get_str(&from.schema);
                key.from_table = shared.get_str(&from.name);
                Some(key)
            })
            .collect()
    }

    fn finish(self) -> Vec<Relation> {
        let mut relations = self.relations;
        for (rel, mut cols) in relations.iter_mut().zip(self.columns) {
            cols.sort_unstable_by_key(|(n, _)| *n);
            rel.columns = cols.into_iter().map(|(_, col)| col).collect();
        }
        relations
    }
}

/// One InnoDB foreign key: (database, table) at both ends, its name, its columns in
/// order as (from column, to column), and its rules as InnoDB's `type` bits.
pub(crate) struct InnodbKey {
    pub(crate) from: (String, String),
    pub(crate) to: (String, String),
    pub(crate) name: String,
    pub(crate) columns: Vec<(String, String)>,
    rules: u32,
}

impl InnodbKey {
    /// The key as the catalog holds it.
    fn foreign_key(&self, shared: &mut Interner) -> ForeignKey {
        ForeignKey {
            from_schema: shared.get_str(&self.from.0),
            from_table: shared.get_str(&self.from.1),
            from_columns: self.columns.iter().map(|c| shared.get_str(&c.0)).collect(),
            to_schema: shared.get_str(&self.to.0),
            to_table: shared.get_str(&self.to.1),
            to_columns: self.columns.iter().map(|c| shared.get_str(&c.1)).collect(),
        }
    }

    /// The ON DELETE rule as information_schema spells it.
    pub(crate) fn on_delete(&self) -> &'static str {
        rule(self.rules, 1, 2, 16)
    }

    /// The ON UPDATE rule as information_schema spells it.
    pub(crate) fn on_update(&self) -> &'static str {
        rule(self.rules, 4, 8, 32)
    }
}

fn rule(bits: u32, cascade: u32, set_null: u32, no_action: u32) -> &'static str {
    if bits & cascade != 0 {
        "CASCADE"
    } else if bits & set_null != 0 {
        "SET NULL"
    } else if bits & no_action != 0 {
        "NO ACTION"
    } else {
        "RESTRICT"
    }
}

/// The keys of InnoDB's lists (the rows of `INNODB_KEYS`), or None if a name is not one
/// `decode_file_name` reads.
pub(crate) fn innodb_keys(keys: &TextRows, columns: &TextRows) -> Option<Vec<InnodbKey>> {
    let split = |s: String| -> Option<(String, String)> {
        let (db, rest) = s.split_once('/')?;
        Some((decode_file_name(db)?, decode_file_name(rest)?))
    };
    // Each key with its columns as listed: (position, from column, to column).
    type Listed = Vec<(u32, String, String)>;
    let mut by_id: HashMap<String, (InnodbKey, Listed)> = HashMap::with_capacity(keys.len());
    for r in keys {
        let key = InnodbKey {
            from: split(cell(r, 1))?,
            to: split(cell(r, 2))?,
            name: split(cell(r, 0))?.1,
            columns: Vec::new(),
            rules: cell(r, 3).parse().unwrap_or(0),
        };
        by_id.insert(cell(r, 0), (key, Vec::new()));
    }
    for r in columns {
        if let Some((_, cols)) = by_id.get_mut(&cell(r, 0)) {
            cols.push((cell(r, 1).parse().unwrap_or(0), cell(r, 2), cell(r, 3)));
        }
    }
    // In the order information_schema gives them (by database and key name), not the
    // map's: completion breaks ties between equal joins by catalog order.
    let mut by_id: Vec<_> = by_id.into_iter().collect();
    by_id.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Some(
        by_id
            .into_iter()
            .map(|(_, (mut key, mut cols))| {
                cols.sort_unstable_by_key(|c| c.0);
                key.columns = cols.into_iter().map(|(_, f, t)| (f, t)).collect();
                key
            })
            .collect(),
    )
}

/// A database or table name from the server's file name form: letters, digits and `_`
/// as they are, any other character as `@` and four hex digits. None for the forms not
/// read here (`@` and two characters, `#mysql50#`).
fn decode_file_name(s: &str) -> Option<String> {
    if s.starts_with("#mysql50#") {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        let hex = rest.get(at + 1..at + 5)?;
        let code = u32::from_str_radix(hex, 16).ok()?;
        out.push(char::from_u32(code)?);
        rest = &rest[at + 5..];
    }
    out.push_str(rest);
    Some(out)
}

/// Foreign keys matching `filter` (a condition on `key_column_usage`).
fn foreign_keys_sql(filter: &str) -> String {
    format!(
        "SELECT table_schema, table_name, \
                GROUP_CONCAT(column_name ORDER BY ordinal_position SEPARATOR '\u{1f}'), \
                referenced_table_schema, referenced_table_name, \
                GROUP_CONCAT(referenced_column_name ORDER BY ordinal_position SEPARATOR '\u{1f}') \
         FROM information_schema.key_column_usage \
         WHERE referenced_table_name IS NOT NULL AND {filter} \
         GROUP BY constraint_schema, constraint_name, table_schema, table_name, \
                  referenced_table_schema, referenced_table_name"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn innodb_keys_read_names_columns_in_order_and_rules() {
        let row = |v: &[&str]| v.iter().map(|s| Some(s.to_string())).collect::<Vec<_>>();
        let keys = vec![
            row(&[
                "shop@002d1/fk_pair",
                "shop@002d1/child",
                "shop@002d1/parent",
                "6",
            ]),
            row(&[
                "shop@002d1/fk_one",
                "shop@002d1/other",
                "shop@002d1/parent",
                "48",
            ]),
        ];
        let columns = vec![
            row(&["shop@002d1/fk_pair", "1", "pa", "a"]),
            row(&["shop@002d1/fk_pair", "0", "pb", "b"]),
            row(&["shop@002d1/fk_one", "0", "p", "a"]),
        ];
        let found = innodb_keys(&keys, &columns).unwrap();
        // By key id, as information_schema orders them.
        let pair = &found[1];
        assert_eq!(pair.name, "fk_pair");
        assert_eq!(pair.from, ("shop-1".to_string(), "child".to_string()));
        assert_eq!(
            pair.columns,
            [("pb".into(), "b".into()), ("pa".into(), "a".into())]
        );
        assert_eq!(
            (pair.on_delete(), pair.on_update()),
            ("SET NULL", "CASCADE")
        );
        assert_eq!(
            (found[0].on_delete(), found[0].on_update()),
            ("NO ACTION", "NO ACTION")
        );
        let odd = vec![row(&["x/k", "caf@0G/t", "x/p", "0"])];
        assert!(innodb_keys(&odd, &Vec::new()).is_none());
    }

    #[test]
    fn file_names_decode_to_the_names_users_wrote() {
        assert_eq!(
            decode_file_name("film_actor").as_deref(),
            Some("film_actor")
        );
        assert_eq!(decode_file_name("my@002ddb").as_deref(), Some("my-db"));
        assert_eq!(decode_file_name("a@0020b@0024").as_deref(), Some("a b$"));
        // Forms not read here make the caller ask information_schema instead.
        assert_eq!(decode_file_name("caf@0G"), None);
        assert_eq!(decode_file_name("#mysql50#old-name"), None);
    }

    #[test]
    fn column_batches_cover_every_table_once() {
        let mut tables: TextRows = Vec::new();
        for i in 0..1200 {
            let first = ["a", "B", "c", "_", "é"][i % 5];
            tables.push(vec![Some("big".into()), Some(format!("{first}t{i}"))]);
        }
        for i in 0..30 {
            tables.push(vec![Some(format!("tenant{i}")), Some("orders".into())]);
        }
        let read = Columns::new(tables);
        let batches = read.batches(Plan::default());
        let statements: Vec<&String> = batches.iter().flatten().map(|s| &s.sql).collect();
        // A statement per small database, per first letter of the big one, and one per
        // table whose name starts with anything else.
        assert_eq!(statements.len(), 30 + 3 + 480);
        assert!(statements
            .iter()
            .any(|s| s.contains("table_name LIKE 'B%'")));
        assert!(statements.iter().any(|s| s.contains("table_name = '_t3'")));
        assert!(statements.iter().any(|s| s.contains("table_name = 'ét4'")));
        assert!(statements.iter().all(|s| !s.contains("ORDER BY")));
    }
}
