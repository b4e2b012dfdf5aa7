//! Running a query for dbsh's own use (catalog loading, describe commands) and collecting
//! its rows as text. Meant for small, bounded results; user queries stream instead.

use super::{
    Backend, ColumnInfo, CommandOutcome, Connection, DbError, Notice, ResultSink, SinkError, Value,
};

/// Rows of a result set, each cell as text (`None` for NULL).
pub type TextRows = Vec<Vec<Option<String>>>;

/// The first result set of a statement, as text.
#[derive(Debug, Default, Clone)]
pub struct TextResult {
    pub columns: Vec<ColumnInfo>,
    pub rows: TextRows,
}

impl TextResult {
    /// An empty result with text columns named `names` (for output built by hand).
    pub fn with_columns(names: &[&str]) -> TextResult {
        TextResult {
            columns: names
                .iter()
                .map(|n| ColumnInfo {
                    name: n.to_string(),
                    kind: super::ColumnKind::Text,
                })
                .collect(),
            rows: Vec::new(),
        }
    }
}

/// What a `Visit` sink hands on: the start of a result set, or one of its rows.
enum Seen<'a, 'v> {
    Columns(&'a [ColumnInfo]),
    Row(&'a [Value<'v>]),
}

/// A sink that hands result sets and rows to a closure and ignores the rest (command
/// tags, notices): what dbsh's own queries need.
struct Visit<F>(F);

impl<F: FnMut(Seen<'_, '_>)> ResultSink for Visit<F> {
    fn columns(&mut self, columns: &[ColumnInfo]) -> Result<(), SinkError> {
        (self.0)(Seen::Columns(columns));
        Ok(())
    }

    fn row(&mut self, row: &[Value<'_>]) -> Result<(), SinkError> {
        (self.0)(Seen::Row(row));
        Ok(())
    }

    fn rows_done(&mut self, _: u64) -> Result<(), SinkError> {
        Ok(())
    }

    fn command(&mut self, _: &CommandOutcome) -> Result<(), SinkError> {
        Ok(())
    }

    fn notice(&mut self, _: &Notice) {}
}

/// Every result set of `sql` (one submission), in order, as text; those before an error
/// are kept, with it.
async fn collect(conn: &mut Connection, sql: &str) -> (Vec<TextResult>, Option<DbError>) {
    let mut results: Vec<TextResult> = Vec::new();
    let mut sink = Visit(|seen: Seen<'_, '_>| match seen {
        Seen::Columns(columns) => results.push(TextResult {
            columns: columns.to_vec(),
            rows: Vec::new(),
        }),
        Seen::Row(row) => {
            if let Some(r) = results.last_mut() {
                r.rows.push(row.iter().map(value_string).collect());
            }
        }
    });
    let r = conn.execute(sql, &mut sink).await;
    (results, r.err())
}

fn value_string(v: &Value<'_>) -> Option<String> {
    Some(match v {
        Value::Null => return None,
        Value::Int(n) => n.to_string(),
        Value::UInt(n) => n.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Text(s) => (*s).to_string(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Value::Bool(b) => b.to_string(),
    })
}

/// Run `sql` and return its first result set as text.
pub async fn query_result(conn: &mut Connection, sql: &str) -> Result<TextResult, DbError> {
    Ok(query_results(conn, sql)
        .await?
        .into_iter()
        .next()
        .unwrap_or_default())
}

/// Run `sql`, several statements in one submission (one round trip on PostgreSQL and
/// MySQL), and return every result set as text, in order.
pub async fn query_results(conn: &mut Connection, sql: &str) -> Result<Vec<TextResult>, DbError> {
    match collect(conn, sql).await {
        (results, None) => Ok(results),
        (_, Some(e)) => Err(e),
    }
}

/// Like `query_results`, keeping the result sets that came before an error, with it.
pub async fn query_results_until_error(
    conn: &mut Connection,
    sql: &str,
) -> (Vec<TextResult>, Option<DbError>) {
    collect(conn, sql).await
}

/// Run `sql` and return the rows of its first result set as text.
pub async fn query_text(conn: &mut Connection, sql: &str) -> Result<TextRows, DbError> {
    Ok(query_result(conn, sql).await?.rows)
}

/// Run queries that do not depend on each other as one submission (one round trip on
/// PostgreSQL and MySQL); the rows of each, in order.
pub async fn query_texts(
    conn: &mut Connection,
    queries: &[String],
) -> Result<Vec<TextRows>, DbError> {
    let (rows, error) = query_texts_until_error(conn, queries).await;
    match error {
        Some(e) => Err(e),
        None => Ok(rows),
    }
}

/// Like `query_texts`, keeping the rows of the queries before one that failed (the
/// server runs none after it), with that error.
pub async fn query_texts_until_error(
    conn: &mut Connection,
    queries: &[String],
) -> (Vec<TextRows>, Option<DbError>) {
    let (results, error) = collect(conn, &queries.join(";\n")).await;
    let rows: Vec<TextRows> = results.into_iter().map(|r| r.rows).collect();
    if let Some(e) = error {
        return (rows, Some(e));
    }
    let results = rows;
    if results.len() != queries.len() {
        let e = DbError::query(format!(
            "{} catalog queries gave {} result sets",
            queries.len(),
            results.len()
        ));
        return (results, Some(e));
    }
    (results, None)
}

/// Hands each row of every result set of `sql` (one submission) to `visit`, with the
/// result set's number, without keeping it: for introspection results of a million rows,
/// where a `String` per cell would cost more than the server's answer.
pub async fn for_each_row(
    conn: &mut Connection,
    sql: &str,
    mut visit: impl FnMut(usize, &[Value<'_>]),
) -> Result<usize, DbError> {
    let mut sets: usize = 0;
    let mut sink = Visit(|seen: Seen<'_, '_>| match seen {
        Seen::Columns(_) => sets += 1,
        Seen::Row(row) => visit(sets.saturating_sub(1), row),
    });
    conn.execute(sql, &mut sink).await?;
    Ok(sets)
}

/// A cell as text, borrowed where the driver gave text (`None` for NULL).
pub fn cell_text<'a>(v: &'a Value<'_>) -> Option<std::borrow::Cow<'a, str>> {
    use std::borrow::Cow;
    Some(match v {
        Value::Null => return None,
        Value::Text(s) => Cow::Borrowed(*s),
        Value::Bytes(b) => String::from_utf8_lossy(b),
        other => Cow::Owned(value_string(other)?),
    })
}

/// `text` as an SQL string literal on `backend`, for queries dbsh builds itself.
pub fn literal(text: &str, backend: Backend) -> String {
    match backend {
        // E'' reads backslashes the same whatever standard_conforming_strings says.
        Backend::Postgres => {
            if text.contains('\\') {
                format!("E'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
            } else {
                format!("'{}'", text.replace('\'', "''"))
            }
        }
        Backend::Mysql => format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''")),
        Backend::Sqlite => format!("'{}'", text.replace('\'', "''")),
    }
}

/// `name` as a quoted identifier on `backend`.
pub fn ident(name: &str, backend: Backend) -> String {
    match backend {
        Backend::Mysql => format!("`{}`", name.replace('`', "``")),
        _ => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_quoted() {
        assert_eq!(literal("o'neil", Backend::Sqlite), "'o''neil'");
        assert_eq!(literal("a\\b'", Backend::Mysql), "'a\\\\b'''");
        assert_eq!(ident("a`b", Backend::Mysql), "`a``b`");
    }
}
