//! Running a query for dbsh's own use (catalog loading, describe commands) and collecting
//! its rows as text. Meant for small, bounded results; user queries stream instead.

use super::{
    ColumnInfo, CommandOutcome, Connection, DbError, Notice, ResultSink, SinkError, Value,
};

/// Rows of the last result set, each cell as text (`None` for NULL).
pub type TextRows = Vec<Vec<Option<String>>>;

#[derive(Default)]
struct Collect {
    rows: TextRows,
}

impl ResultSink for Collect {
    fn columns(&mut self, _: &[ColumnInfo]) -> Result<(), SinkError> {
        self.rows.clear();
        Ok(())
    }

    fn row(&mut self, row: &[Value<'_>]) -> Result<(), SinkError> {
        self.rows.push(row.iter().map(value_string).collect());
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

/// Run `sql` and return the rows of its (last) result set as text.
pub async fn query_text(conn: &mut Connection, sql: &str) -> Result<TextRows, DbError> {
    let mut sink = Collect::default();
    conn.execute(sql, &mut sink).await?;
    Ok(sink.rows)
}

/// Quote `s` as an SQL string literal (doubling quotes; backslashes too for MySQL).
pub fn quote_literal(s: &str, backslash_escapes: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' if backslash_escapes => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_quoted() {
        assert_eq!(quote_literal("o'neil", false), "'o''neil'");
        assert_eq!(quote_literal("a\\b'", true), "'a\\\\b'''");
    }
}
