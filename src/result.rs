//! What a statement's results are made of, between the backends that produce them (`db`)
//! and the renderers that print them (`render`): columns, cells, command outcomes, server
//! notices, and the `ResultSink` they stream into. Plain data: no I/O, no backend.

/// How a column's values should be treated by renderers (alignment, JSON numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Numbers (integers, floats, exact decimals): right-aligned, JSON numbers.
    Number,
    Bool,
    Binary,
    Json,
    Text,
    /// Not known up front (SQLite expression columns): decided per value.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnInfo {
    pub name: String,
    pub kind: ColumnKind,
}

/// One cell of a row, borrowed from the driver's buffers so streaming costs no copies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Null,
    Int(i64),
    UInt(u64),
    Float(f64),
    /// Text as the server printed it; for `ColumnKind::Number` it is a numeric literal.
    Text(&'a str),
    Bytes(&'a [u8]),
    Bool(bool),
}

impl Value<'_> {
    /// The value as psql prints it unaligned (`t`/`f` for booleans), None for NULL: what
    /// `\gset` stores and what `\copy` and `\gexec` read.
    pub fn text(&self) -> Option<String> {
        Some(match self {
            Value::Null => return None,
            Value::Int(i) => i.to_string(),
            Value::UInt(u) => u.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Text(t) => (*t).to_string(),
            Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
            Value::Bool(b) => if *b { "t" } else { "f" }.to_string(),
        })
    }
}

/// How a statement that returns no rows ended.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommandOutcome {
    /// The command tag as the backend's own client prints it (`INSERT 0 3`, `CREATE TABLE`),
    /// or `None` where the backend has none (then the renderer prints the affected rows).
    pub tag: Option<String>,
    pub rows_affected: Option<u64>,
    pub warnings: u32,
    pub last_insert_id: Option<u64>,
}

/// `, 2 warnings`: what the mysql client adds to `Query OK` and `N rows in set`.
pub fn warning_count(n: u32) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!(", {n} warning{s}")
}

/// A message from the server that is not a result (PostgreSQL NOTICE, MySQL warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub severity: String,
    pub message: String,
}

/// Why a sink stopped taking rows.
#[derive(Debug)]
pub enum SinkError {
    /// Output failed (a closed pipe is reported as `Io` with `BrokenPipe`).
    Io(std::io::Error),
    /// The user declined to see more rows; the statement should stop quietly.
    Stopped,
}

impl From<std::io::Error> for SinkError {
    fn from(e: std::io::Error) -> Self {
        SinkError::Io(e)
    }
}

/// Receives a submission's results as they stream in. A submission may produce several
/// result sets; each is `columns`, zero or more `row`, then `rows_done`; a statement without
/// rows produces `command` instead.
pub trait ResultSink {
    fn columns(&mut self, columns: &[ColumnInfo]) -> Result<(), SinkError>;
    fn row(&mut self, row: &[Value<'_>]) -> Result<(), SinkError>;
    /// The result set just read raised `count` warnings (MySQL); called before `rows_done`.
    fn warnings(&mut self, _count: u32) {}
    fn rows_done(&mut self, count: u64) -> Result<(), SinkError>;
    fn command(&mut self, outcome: &CommandOutcome) -> Result<(), SinkError>;
    fn notice(&mut self, notice: &Notice);
}

/// A sink that drops everything: for statements dbsh runs on its own behalf.
pub struct Discard;

impl ResultSink for Discard {
    fn columns(&mut self, _: &[ColumnInfo]) -> Result<(), SinkError> {
        Ok(())
    }
    fn row(&mut self, _: &[Value<'_>]) -> Result<(), SinkError> {
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
