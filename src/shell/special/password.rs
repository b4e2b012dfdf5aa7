//! `\password [USER]`, as psql: the new password is asked twice on the terminal and turned
//! into the server's verifier here (SCRAM-SHA-256, or MD5 where the server's
//! `password_encryption` asks for it), so the password itself never appears in a
//! statement, the server's log or the history. PostgreSQL only: the MySQL and MariaDB
//! servers hash the password themselves, so there the plain text would travel in the
//! statement, and SQLite has no users.

use crate::db::collect;
use crate::db::Backend;
use crate::shell::{RunError, Session};

pub(super) async fn run(session: &mut Session, arg: &str) -> Result<(), RunError> {
    if session.backend() != Backend::Postgres {
        eprintln!(
            "\\password: PostgreSQL only; on MySQL/MariaDB use ALTER USER … IDENTIFIED BY (the server hashes it)"
        );
        return Err(RunError::Failed);
    }
    let words = super::args::split(arg, &|_| None);
    let user = match words.first() {
        Some(w) => role_name(w),
        None => match collect::query_text(session.conn_mut(), "select current_user").await {
            Ok(rows) => match rows.first().and_then(|r| r.first().cloned().flatten()) {
                Some(u) => u,
                None => return Err(RunError::Failed),
            },
            Err(e) => {
                eprintln!("\\password: {e}");
                return Err(RunError::Failed);
            }
        },
    };
    let first = ask(&format!("Enter new password for user \"{user}\": "))?;
    let second = ask("Enter it again: ")?;
    if first != second {
        eprintln!("Passwords didn't match.");
        return Err(RunError::Failed);
    }
    let md5 = match collect::query_text(session.conn_mut(), "show password_encryption").await {
        Ok(rows) => rows
            .first()
            .and_then(|r| r.first().cloned().flatten())
            .is_some_and(|v| v == "md5"),
        Err(_) => false,
    };
    let verifier = if md5 {
        postgres_protocol::password::md5(first.as_bytes(), &user)
    } else {
        postgres_protocol::password::scram_sha_256(first.as_bytes())
    };
    let sql = format!(
        "ALTER USER {} PASSWORD {}",
        collect::ident(&user, Backend::Postgres),
        collect::literal(&verifier, Backend::Postgres)
    );
    match collect::query_text(session.conn_mut(), &sql).await {
        Ok(_) => Ok(()),
        Err(e) => {
            eprintln!("\\password: {e}");
            Err(RunError::Failed)
        }
    }
}

/// A role name as psql reads it: `"Quoted"` kept as written, otherwise folded to lower case.
fn role_name(word: &str) -> String {
    match word.strip_prefix('"').and_then(|w| w.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => word.to_lowercase(),
    }
}

fn ask(prompt: &str) -> Result<String, RunError> {
    crate::tty::ask_password(prompt).map_err(|e| {
        match e.kind() {
            std::io::ErrorKind::Interrupted => eprintln!("\\password: cancelled"),
            _ => eprintln!("\\password: cannot read the password from the terminal: {e}"),
        }
        RunError::Failed
    })
}

#[cfg(test)]
mod tests {
    use super::role_name;

    #[test]
    fn role_names_fold_unless_quoted_as_psql_reads_them() {
        assert_eq!(role_name("Alice"), "alice");
        assert_eq!(role_name("\"Alice\""), "Alice");
        assert_eq!(role_name("\"a\"\"b\""), "a\"b");
    }
}
