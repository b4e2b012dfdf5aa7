//! How MySQL result columns and cells become dbsh's `ColumnInfo` and `Value`, and how the
//! driver's errors become `DbError`s.
//!
//! The text protocol sends every cell as the server printed it, so DECIMAL stays exact and
//! dates stay as the server wrote them; only the column metadata decides alignment, JSON
//! numbers and whether bytes are shown as hex (binary strings, BIT, geometry).

use mysql_async::consts::ColumnType;
use mysql_async::{Column, Error as MyError, Value as MyValue};

use crate::db::{ColumnInfo, ColumnKind, DbError, QueryError, Value};

/// `binary` in MySQL's character-set numbering: a byte string, not text.
const BINARY_CHARSET: u16 = 63;

/// Server error codes that mean the connection is gone afterwards.
pub(super) const ER_SERVER_SHUTDOWN: u16 = 1053;
pub(super) const ER_CONNECTION_KILLED: u16 = 1927;
pub(super) const ER_CLIENT_INTERACTION_TIMEOUT: u16 = 4031;
pub(super) const ER_ACCESS_DENIED: u16 = 1045;
pub(super) const ER_ACCESS_DENIED_NO_PASSWORD: u16 = 1698;
pub(super) const ER_BAD_DB: u16 = 1049;
/// "The server is running with the --X option so it cannot execute this statement": X is
/// `--read-only` on a replica, but also `--secure-file-priv` and others.
pub(super) const ER_OPTION_PREVENTS_STATEMENT: u16 = 1290;

/// Whether `@@read_only` says the server refuses writes: `0`/`1` up to now, `OFF`/`ON`
/// (and `NO_LOCK…`) where MariaDB made it an enum.
pub(super) fn read_only_value(v: &str) -> bool {
    !matches!(v.trim().to_ascii_uppercase().as_str(), "" | "0" | "OFF")
}

/// The one-line hint for a write the read-only server refused.
pub(super) fn read_only_write_hint() -> String {
    "this server is a standby (read-only replica, @@read_only is on); connect to the primary to write".into()
}

pub(super) fn column_info(col: &Column) -> ColumnInfo {
    ColumnInfo {
        name: col.name_str().into_owned(),
        kind: column_kind(col.column_type(), col.character_set()),
    }
}

pub(super) fn column_kind(ty: ColumnType, charset: u16) -> ColumnKind {
    use ColumnType::*;
    match ty {
        MYSQL_TYPE_DECIMAL
        | MYSQL_TYPE_NEWDECIMAL
        | MYSQL_TYPE_TINY
        | MYSQL_TYPE_SHORT
        | MYSQL_TYPE_LONG
        | MYSQL_TYPE_INT24
        | MYSQL_TYPE_LONGLONG
        | MYSQL_TYPE_FLOAT
        | MYSQL_TYPE_DOUBLE
        | MYSQL_TYPE_YEAR => ColumnKind::Number,
        MYSQL_TYPE_JSON => ColumnKind::Json,
        MYSQL_TYPE_BIT | MYSQL_TYPE_GEOMETRY | MYSQL_TYPE_VECTOR => ColumnKind::Binary,
        MYSQL_TYPE_TINY_BLOB
        | MYSQL_TYPE_MEDIUM_BLOB
        | MYSQL_TYPE_LONG_BLOB
        | MYSQL_TYPE_BLOB
        | MYSQL_TYPE_VAR_STRING
        | MYSQL_TYPE_STRING
        | MYSQL_TYPE_VARCHAR
            if charset == BINARY_CHARSET =>
        {
            ColumnKind::Binary
        }
        _ => ColumnKind::Text,
    }
}

/// One cell as dbsh shows it. `owned` holds text for the rare non-byte values (the binary
/// protocol's dates), so that the returned value can borrow it.
pub(super) fn cell<'a>(v: &'a MyValue, kind: ColumnKind, owned: &'a Option<String>) -> Value<'a> {
    match v {
        MyValue::NULL => Value::Null,
        MyValue::Bytes(b) => {
            if kind == ColumnKind::Binary {
                return Value::Bytes(b);
            }
            match std::str::from_utf8(b) {
                Ok(s) => Value::Text(s),
                // Not UTF-8 (a latin1 column holding odd bytes): show the bytes, not a guess.
                Err(_) => Value::Bytes(b),
            }
        }
        MyValue::Int(n) => Value::Int(*n),
        MyValue::UInt(n) => Value::UInt(*n),
        MyValue::Float(f) => Value::Float(f64::from(*f)),
        MyValue::Double(f) => Value::Float(*f),
        MyValue::Date(..) | MyValue::Time(..) => owned.as_deref().map_or(Value::Null, Value::Text),
    }
}

/// Text for values that are not plain bytes (only the binary protocol produces them).
pub(super) fn owned_text(v: &MyValue) -> Option<String> {
    match v {
        MyValue::Date(..) | MyValue::Time(..) => {
            // `as_sql` quotes dates: '2024-01-02 03:04:05'.
            Some(v.as_sql(true).trim_matches('\'').to_string())
        }
        _ => None,
    }
}

/// A server error as the mysql client prints it.
pub(super) fn server_error(code: u16, state: &str, message: &str) -> QueryError {
    QueryError {
        message: message.to_string(),
        sqlstate: Some(state.to_string()).filter(|s| !s.is_empty()),
        vendor_code: Some(u32::from(code)),
        ..QueryError::default()
    }
}

/// Whether a server error means the server has closed this connection.
pub(super) fn closes_connection(code: u16) -> bool {
    matches!(
        code,
        ER_SERVER_SHUTDOWN | ER_CONNECTION_KILLED | ER_CLIENT_INTERACTION_TIMEOUT
    )
}

/// A lost connection, classified from error numbers and the driver's error kind (never
/// from message text); `None` when the connection is fine and the server rejected the
/// statement.
///
/// Provably never sent (`DbError::ConnectionLost`, may run once on a new connection): the
/// driver had no socket to write to (`ConnectionClosed`, raised only on the write path; a
/// closed socket while reading is an I/O error), or the server's idle-timeout notice
/// (4031), sent before it closed a connection it had not read from. Anything else that
/// ends the connection (1927 killed, 1053 shutdown, I/O errors, a garbled packet stream:
/// the mysql client's 2013) may have happened after the server read the statement.
pub(super) fn lost(e: &MyError) -> Option<DbError> {
    use mysql_async::DriverError::*;
    let reason = lost_reason(e);
    match e {
        MyError::Driver(ConnectionClosed) => Some(DbError::ConnectionLost(reason)),
        MyError::Server(se) if se.code == ER_CLIENT_INTERACTION_TIMEOUT => {
            Some(DbError::ConnectionLost(reason))
        }
        MyError::Server(se) if closes_connection(se.code) => Some(DbError::LostInFlight(reason)),
        MyError::Io(_)
        | MyError::Driver(PacketOutOfOrder | UnexpectedPacket { .. } | BadCompressedPacketHeader) => {
            Some(DbError::LostInFlight(format!(
                "ERROR 2013 (HY000): Lost connection to server during query: {reason}"
            )))
        }
        _ => None,
    }
}

/// A short reason for a lost connection, for the session's reconnect notice.
pub(super) fn lost_reason(e: &MyError) -> String {
    match e {
        MyError::Server(se) => format!("ERROR {} ({}): {}", se.code, se.state, se.message),
        MyError::Io(mysql_async::IoError::Io(io))
            if io.kind() == std::io::ErrorKind::UnexpectedEof =>
        {
            "the server closed the connection".into()
        }
        MyError::Io(mysql_async::IoError::Io(io)) => io.to_string(),
        MyError::Driver(mysql_async::DriverError::ConnectionClosed) => {
            "ERROR 2006 (HY000): server has gone away".into()
        }
        other => other.to_string(),
    }
}

/// A statement's error, the connection being fine (see `lost` first). 1317 (interrupted)
/// is a cancel only when dbsh asked for it; `MyConnection::execute` decides that.
pub(super) fn statement_error(e: MyError) -> DbError {
    match &e {
        MyError::Server(se) => DbError::Query(server_error(se.code, &se.state, &se.message)),
        _ => DbError::query(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(code: u16) -> MyError {
        MyError::Server(mysql_async::ServerError {
            code,
            message: "translated text that must not matter".into(),
            state: "HY000".into(),
        })
    }

    #[test]
    fn read_only_in_every_spelling() {
        for on in ["1", "ON", "on", "NO_LOCK", "NO_LOCK_NO_ADMIN"] {
            assert!(read_only_value(on), "{on}");
        }
        for off in ["0", "OFF", ""] {
            assert!(!read_only_value(off), "{off}");
        }
    }

    #[test]
    fn lost_connections_are_told_apart_by_error_number() {
        let unsent = |e: &MyError| matches!(lost(e), Some(DbError::ConnectionLost(_)));
        let in_flight = |e: &MyError| matches!(lost(e), Some(DbError::LostInFlight(_)));
        // Never written: no socket, or the server's idle-timeout notice.
        assert!(unsent(&MyError::Driver(
            mysql_async::DriverError::ConnectionClosed
        )));
        assert!(unsent(&server(ER_CLIENT_INTERACTION_TIMEOUT)));
        // May have run: killed, shutdown, a broken socket.
        assert!(in_flight(&server(ER_CONNECTION_KILLED)));
        assert!(in_flight(&server(ER_SERVER_SHUTDOWN)));
        let eof = std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "x");
        assert!(in_flight(&MyError::Io(mysql_async::IoError::Io(eof))));
        // The connection is fine: a rejected or interrupted statement.
        assert!(lost(&server(1064)).is_none());
        assert!(lost(&server(1317)).is_none());
        assert!(matches!(statement_error(server(1317)), DbError::Query(_)));
    }

    #[test]
    fn kinds() {
        use ColumnType::*;
        assert_eq!(column_kind(MYSQL_TYPE_NEWDECIMAL, 63), ColumnKind::Number);
        assert_eq!(column_kind(MYSQL_TYPE_YEAR, 63), ColumnKind::Number);
        assert_eq!(column_kind(MYSQL_TYPE_BLOB, 63), ColumnKind::Binary);
        assert_eq!(column_kind(MYSQL_TYPE_BLOB, 45), ColumnKind::Text);
        assert_eq!(column_kind(MYSQL_TYPE_VAR_STRING, 63), ColumnKind::Binary);
        assert_eq!(column_kind(MYSQL_TYPE_DATETIME, 63), ColumnKind::Text);
        assert_eq!(column_kind(MYSQL_TYPE_BIT, 63), ColumnKind::Binary);
        assert_eq!(column_kind(MYSQL_TYPE_JSON, 63), ColumnKind::Json);
    }

    #[test]
    fn cells() {
        let none = None;
        assert_eq!(cell(&MyValue::NULL, ColumnKind::Text, &none), Value::Null);
        let empty = MyValue::Bytes(Vec::new());
        assert_eq!(cell(&empty, ColumnKind::Text, &none), Value::Text(""));
        let b = MyValue::Bytes(vec![0xff, 0x00]);
        assert_eq!(
            cell(&b, ColumnKind::Text, &none),
            Value::Bytes(&[0xff, 0x00])
        );
        let t = MyValue::Bytes(b"12.50".to_vec());
        assert_eq!(cell(&t, ColumnKind::Number, &none), Value::Text("12.50"));
        assert_eq!(cell(&t, ColumnKind::Binary, &none), Value::Bytes(b"12.50"));
        let d = MyValue::Date(2024, 1, 2, 3, 4, 5, 0);
        let owned = owned_text(&d);
        assert_eq!(
            cell(&d, ColumnKind::Text, &owned),
            Value::Text("2024-01-02 03:04:05")
        );
    }
}
