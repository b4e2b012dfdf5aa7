//! PostgreSQL `COPY … FROM STDIN` and `COPY … TO STDOUT`: the copy sub-protocol, which the
//! simple-query stream cannot carry. Data streams through in fixed-size chunks both ways, so
//! memory stays bounded whatever the size of the data. Nothing here knows where the data
//! comes from (a script's inline block, a `\copy` file) or goes to (stdout, a `\o` file).

use std::io::{Read, Write};
use std::pin::pin;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};

use super::{after_error, PgConnection};
use crate::db::{Connection, DbError, QueryError, TxState};
use crate::sql::{facts, Dialect, LexState};

/// Bytes sent to the server per CopyData message.
const CHUNK: usize = 64 * 1024;

/// Which way a `COPY` statement moves data through the client, if at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyDirection {
    /// `COPY … FROM STDIN`: the client sends the data.
    In,
    /// `COPY … TO STDOUT`: the server sends the data.
    Out,
}

/// The direction of a lone `COPY` statement that uses the client's stdin/stdout.
pub fn copy_direction(statement: &str) -> Option<CopyDirection> {
    let state = LexState::new(Dialect::Postgres);
    if facts::is_copy_from_stdin(statement, &state) {
        Some(CopyDirection::In)
    } else if facts::is_copy_to_stdout(statement, &state) {
        Some(CopyDirection::Out)
    } else {
        None
    }
}

impl PgConnection {
    /// Run `COPY … FROM STDIN`, feeding it everything `data` yields; returns the rows copied.
    pub async fn copy_in(&mut self, statement: &str, data: &mut dyn Read) -> Result<u64, DbError> {
        if self.client.is_closed() {
            return Err(self.lost());
        }
        let before = self.tx;
        let result = self.copy_in_inner(statement, data).await;
        self.canceller.settled().await;
        self.tx = match &result {
            Ok(_) => before,
            Err(_) => after_error(before),
        };
        result
    }

    async fn copy_in_inner(
        &mut self,
        statement: &str,
        data: &mut dyn Read,
    ) -> Result<u64, DbError> {
        let sink = self
            .client
            .copy_in_unnamed::<Bytes>(statement)
            .await
            .map_err(|e| self.copy_error(e))?;
        let mut sink = pin!(sink);
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = match data.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                // Dropping the sink unfinished aborts the COPY on the server.
                Err(e) => return Err(DbError::query(format!("reading COPY data: {e}"))),
            };
            if let Err(e) = sink.send(Bytes::copy_from_slice(&buf[..n])).await {
                return Err(self.copy_error(e));
            }
        }
        sink.as_mut().finish().await.map_err(|e| self.copy_error(e))
    }

    /// Run `COPY … TO STDOUT`, writing the data to `out` as it arrives; returns the rows.
    pub async fn copy_out(&mut self, statement: &str, out: &mut dyn Write) -> Result<u64, DbError> {
        let result = self.copy_out_inner(statement, out).await;
        self.canceller.settled().await;
        result
    }

    async fn copy_out_inner(
        &mut self,
        statement: &str,
        out: &mut dyn Write,
    ) -> Result<u64, DbError> {
        if self.client.is_closed() {
            return Err(self.lost());
        }
        let stream = match self.client.copy_out_unnamed(statement).await {
            Ok(s) => s,
            Err(e) => {
                self.tx = after_error(self.tx);
                return Err(self.copy_error(e));
            }
        };
        let mut stream = pin!(stream);
        let mut rows = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => {
                    self.tx = after_error(self.tx);
                    return Err(self.copy_error(e));
                }
            };
            // Text and CSV formats send one row per message.
            rows += 1;
            if let Err(e) = out.write_all(&chunk) {
                // Stop the server rather than read the rest of a large table into nowhere.
                self.canceller.cancel().await;
                while stream.next().await.is_some() {}
                return Err(DbError::Output(e));
            }
        }
        out.flush().map_err(DbError::Output)?;
        Ok(rows)
    }

    /// A driver error during COPY, with the server's context line (`COPY t, line 3,
    /// column a: "x"`), which says where in the data it went wrong.
    fn copy_error(&mut self, e: tokio_postgres::Error) -> DbError {
        let Some(db) = e.as_db_error() else {
            if e.is_closed() || self.client.is_closed() {
                self.tx = TxState::Idle;
                return self.lost();
            }
            return DbError::query(e.to_string());
        };
        if db.code().code() == "57014" && db.message().contains("user request") {
            return DbError::Cancelled;
        }
        let mut message = db.message().to_string();
        if let Some(w) = db.where_() {
            message.push_str("\nCONTEXT: ");
            message.push_str(w);
        }
        DbError::Query(QueryError {
            message,
            sqlstate: Some(db.code().code().to_string()),
            vendor_code: None,
            detail: db.detail().map(str::to_string),
            hint: db.hint().map(str::to_string),
            position: None,
        })
    }
}

/// The line of the COPY data a server error names (`COPY t, line 3, …`), 1-based.
pub fn error_data_line(e: &DbError) -> Option<usize> {
    let DbError::Query(q) = e else { return None };
    let text = q.message.split_once("\nCONTEXT: ")?.1;
    let at = text.find(", line ")? + ", line ".len();
    let digits: String = text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

impl Connection {
    /// `COPY … FROM STDIN` with `data` (PostgreSQL only); returns the rows copied.
    pub async fn copy_in(&mut self, statement: &str, data: &mut dyn Read) -> Result<u64, DbError> {
        match self {
            Connection::Postgres(c) => c.copy_in(statement, data).await,
            _ => Err(DbError::Unsupported(
                "COPY … FROM STDIN is PostgreSQL's; use \\copy".into(),
            )),
        }
    }

    /// `COPY … TO STDOUT` into `out` (PostgreSQL only); returns the rows copied.
    pub async fn copy_out(&mut self, statement: &str, out: &mut dyn Write) -> Result<u64, DbError> {
        match self {
            Connection::Postgres(c) => c.copy_out(statement, out).await,
            _ => Err(DbError::Unsupported(
                "COPY … TO STDOUT is PostgreSQL's; use \\copy".into(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_direction_reads_the_statement() {
        assert_eq!(copy_direction("COPY t FROM stdin"), Some(CopyDirection::In));
        assert_eq!(
            copy_direction("copy (select 1) to stdout with (format csv)"),
            Some(CopyDirection::Out)
        );
        assert_eq!(copy_direction("copy t to '/tmp/x'"), None);
        assert_eq!(copy_direction("select 'stdin'"), None);
    }

    #[test]
    fn the_data_line_comes_from_the_server_context() {
        let e = DbError::Query(QueryError {
            message: "bad integer: \"x\"\nCONTEXT: COPY t, line 3, column a: \"x\"".into(),
            ..QueryError::default()
        });
        assert_eq!(error_data_line(&e), Some(3));
    }
}
