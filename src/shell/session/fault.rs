//! What a session does when the server connection is lost: the one place for that policy.
//!
//! - Scripts (`-f`, `-c`, stdin, and `\i` files): the run ends with "connection to server
//!   was lost" naming the script and line; nothing more runs, whatever
//!   `--continue-on-error` says (the app exits 2).
//! - At the prompt: say what became of the statement and of an open transaction, reconnect,
//!   and rebuild the session as it was opened (read-only, `init`, database, MySQL
//!   `autocommit=0`). A statement is run again only if it provably never left dbsh and no
//!   transaction was open; nothing else is ever re-run.
//!
//! Whether the connection is lost, and whether the statement may have reached the server,
//! is decided by the backends (`DbError::ConnectionLost` / `DbError::LostInFlight`, from
//! error codes and the driver's closed state). This file does not read error text.

use crate::db::{Backend, Connection, DbError, TxState};

use super::Session;
use crate::result::Discard;

/// After a lost connection: run the statement again on the new connection, or stop.
pub(crate) enum Next {
    Retry,
    Stop,
}

/// What was put back on a new connection, for the one-line notice.
pub struct Restored(Vec<String>);

impl std::fmt::Display for Restored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join(", "))
    }
}

impl Session {
    /// Whether a lost connection now would lose work the server rolls back: an open
    /// transaction, or any statement under MySQL's `autocommit=0`.
    pub(crate) fn work_at_risk(&self) -> bool {
        self.transaction_state() != TxState::Idle || !autocommit(&self.conn)
    }

    /// Report a lost connection and decide what happens next (see the module doc).
    /// `at_risk` is `work_at_risk()` from before the statement ran.
    pub(crate) async fn connection_lost(
        &mut self,
        e: &DbError,
        at_risk: bool,
        sql: &str,
        where_: &str,
    ) -> Next {
        let reason = crate::render::sanitize::escape_controls(e.lost_reason().unwrap_or(""), true);
        let in_flight = matches!(e, DbError::LostInFlight(_));
        let mut lines = Vec::new();
        let statement = if !in_flight {
            "the statement was not sent"
        } else if ends_transaction(sql) && at_risk {
            "the statement may or may not have run: check whether the transaction was committed"
        } else {
            "the statement may or may not have run"
        };
        if self.source.is_some() || !self.interactive {
            lines.push(format!("{where_}connection to server was lost ({reason})"));
            lines.push(format!("{where_}{statement}"));
        } else {
            lines.push(format!("connection lost; {statement} ({reason})"));
        }
        if at_risk && !(in_flight && ends_transaction(sql)) {
            lines.push(
                "The open transaction was rolled back by the server; nothing after it was run."
                    .into(),
            );
        } else if self.source.is_some() || !self.interactive {
            lines.push("Nothing after it was run.".into());
        }
        for l in &lines {
            eprintln!("{l}");
        }
        if !self.interactive {
            return Next::Stop;
        }
        eprintln!("reconnecting to {} …", self.target.describe());
        match self.reconnect().await {
            Ok(restored) => {
                // After a failover the server may be a replica: the message says so.
                self.conn.check_standby().await;
                eprintln!("{}; restored: {restored}", reconnected_to(&self.conn));
            }
            Err(e) => {
                let text = e.to_string();
                let why = crate::render::sanitize::escape_controls(&text, true);
                eprintln!("could not reconnect: {why}\nThe next statement tries again.");
                return Next::Stop;
            }
        }
        if !in_flight && !at_risk && self.source.is_none() {
            eprintln!("Running it on the new connection (it had not been sent).");
            return Next::Retry;
        }
        Next::Stop
    }

    /// Open a new connection to the session's target and rebuild the session on it as it
    /// was opened: read-only, MySQL `autocommit=0`, the `init` statements (and so the
    /// search_path they set), the current database (the target remembers `USE` and `\c`).
    /// On any failure the old (dead) connection stays, so nothing runs unprotected.
    pub async fn reconnect(&mut self) -> Result<Restored, DbError> {
        let autocommit_off = !autocommit(&self.conn);
        let new = Connection::connect(&self.target).await?;
        let old = std::mem::replace(&mut self.conn, new);
        match self.rebuild(autocommit_off).await {
            Ok(r) => Ok(r),
            Err(e) => {
                self.conn = old;
                Err(e)
            }
        }
    }

    async fn rebuild(&mut self, autocommit_off: bool) -> Result<Restored, DbError> {
        let mut restored = Vec::new();
        let info = self.conn.info();
        if !info.database.is_empty() {
            restored.push(format!("database \"{}\"", info.database));
        }
        self.prepare_connection().await?;
        if self.read_only {
            restored.push("read-only".into());
        }
        if autocommit_off {
            self.conn
                .execute("SET autocommit = 0", &mut Discard)
                .await?;
            restored.push("autocommit=0".into());
        }
        for statement in self.init.clone() {
            self.conn
                .execute(&statement, &mut Discard)
                .await
                .map_err(|e| DbError::query(format!("init statement failed: {statement}: {e}")))?;
        }
        if !self.init.is_empty() {
            let n = self.init.len();
            restored.push(format!(
                "{n} init statement{}",
                if n == 1 { "" } else { "s" }
            ));
            if self.conn.backend() == Backend::Postgres {
                let rows =
                    crate::db::collect::query_text(&mut self.conn, "SHOW search_path").await?;
                if let Some(Some(path)) = rows.first().and_then(|r| r.first()) {
                    restored.push(format!("search_path {path}"));
                }
            }
        }
        if restored.is_empty() {
            restored.push("nothing to restore".into());
        }
        let line = restored
            .iter()
            .map(|s| crate::render::sanitize::escape_controls(s, true).into_owned())
            .collect();
        Ok(Restored(line))
    }
}

/// MySQL's `autocommit` as last reported; other backends have it on.
fn autocommit(conn: &Connection) -> bool {
    match conn {
        Connection::Mysql(c) => c.autocommit(),
        _ => true,
    }
}

/// Whether `sql` ends a transaction by committing it (then a lost answer leaves its fate
/// unknown, rather than rolled back).
fn ends_transaction(sql: &str) -> bool {
    let first = sql
        .trim_start()
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    ["commit", "end"]
        .iter()
        .any(|w| first.eq_ignore_ascii_case(w))
        || sql.to_ascii_lowercase().contains("commit")
}

/// "reconnected to HOST:PORT", saying when that server is a standby: after a failover the
/// host may not be the one the session was on.
fn reconnected_to(conn: &crate::db::Connection) -> String {
    let info = conn.info();
    let mut text = "reconnected".to_string();
    if !info.host.is_empty() {
        text.push_str(&format!(" to {}", info.host));
        if let Some(p) = info.port {
            text.push_str(&format!(":{p}"));
        }
    }
    if info.standby {
        text.push_str(" (standby)");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_statements_are_recognised() {
        assert!(ends_transaction("COMMIT"));
        assert!(ends_transaction("  end;"));
        assert!(ends_transaction("insert into t values (1); commit"));
        assert!(!ends_transaction("insert into t values (1)"));
        assert!(!ends_transaction("endpoint"));
    }
}
