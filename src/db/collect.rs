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

/// Keeps the first result set of a submission.
#[derive(Default)]
struct Collect {
    result: Option<TextResult>,
    /// A later result set started: its rows are not kept.
    past_first: bool,
}

impl ResultSink for Collect {
    fn columns(&mut self, columns: &[ColumnInfo]) -> Result<(), SinkError> {
        if self.result.is_some() {
            self.past_first = true;
        } else {
            self.result = Some(TextResult {
                columns: columns.to_vec(),
                rows: Vec::new(),
            });
        }
        Ok(())
    }

    fn row(&mut self, row: &[Value<'_>]) -> Result<(), SinkError> {
        if let (false, Some(r)) = (self.past_first, self.result.as_mut()) {
            r.rows.push(row.iter().map(value_string).collect());
        }
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
    let mut sink = Collect::default();
    conn.execute(sql, &mut sink).await?;
    Ok(sink.result.unwrap_or_default())
}

/// Run `sql` and return the rows of its first result set as text.
pub async fn query_text(conn: &mut Connection, sql: &str) -> Result<TextRows, DbError> {
    Ok(query_result(conn, sql).await?.rows)
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
