//! TEMPORARY SHIM, to be deleted when the `sqllayer` branch (src/sql/) is merged.
//!
//! It stands in for the agreed interfaces of the new SQL text layer so this branch compiles
//! and its tests run: `Piece::CopyData` after a `COPY … FROM STDIN` statement, statement
//! endings that carry their command text (`\gset x`, `\gx`, `\gexec`, `\g file`), and
//! `interpolate`. At the merge: replace `shim::split` with the new splitter, `shim::Piece`
//! and `shim::Terminator` with its types, and `shim::interpolate` with
//! `crate::sql::vars::interpolate`. Nothing else in `flow/` depends on this file.

use crate::catalog::Dialect;
use crate::split::{Piece as OldPiece, Splitter, Terminator as OldTerminator};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Terminator {
    Delimiter,
    Vertical,
    Go,
    Unterminated,
    /// A statement-ending command with its arguments: `\gset p_`, `\gx`, `\g out.txt`.
    Command(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Sql {
        text: String,
        terminator: Terminator,
        offset: usize,
    },
    Command {
        text: String,
        offset: usize,
    },
    /// The data lines after `COPY … FROM STDIN`, with newlines, without the `\.` line.
    CopyData {
        data: String,
        offset: usize,
    },
}

/// Split with the old splitter, then patch in what it does not know.
pub fn split(splitter: &mut Splitter, input: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut base = 0;
    'again: while base < input.len() {
        let rest = &input[base..];
        for piece in splitter.split(rest) {
            match piece {
                OldPiece::Command { text, offset } => out.push(Piece::Command {
                    text,
                    offset: base + offset,
                }),
                OldPiece::Sql {
                    text,
                    terminator,
                    offset,
                } => {
                    let end = base + offset + text.len();
                    let eol = input[end..].find('\n').map_or(input.len(), |i| end + i);
                    let ending = input[end..eol].trim();
                    let term = match terminator {
                        OldTerminator::Go | OldTerminator::Vertical
                            if ending.len() > 2 && ending.starts_with('\\') =>
                        {
                            out.push(Piece::Sql {
                                text,
                                terminator: Terminator::Command(ending.to_string()),
                                offset: base + offset,
                            });
                            base = eol;
                            continue 'again;
                        }
                        OldTerminator::Go => Terminator::Go,
                        OldTerminator::Vertical => Terminator::Vertical,
                        OldTerminator::Delimiter => Terminator::Delimiter,
                        OldTerminator::Unterminated => Terminator::Unterminated,
                    };
                    let copy_in = splitter.dialect() == Dialect::Postgres
                        && crate::db::postgres::copy_direction(&text)
                            == Some(crate::db::postgres::CopyDirection::In);
                    out.push(Piece::Sql {
                        text,
                        terminator: term,
                        offset: base + offset,
                    });
                    if copy_in {
                        let start = (eol + 1).min(input.len());
                        let mut pos = start;
                        let mut data_end = input.len();
                        let mut next = input.len();
                        while pos < input.len() {
                            let line_end = input[pos..].find('\n').map_or(input.len(), |i| pos + i);
                            if input[pos..line_end].trim_end_matches('\r') == "\\." {
                                data_end = pos;
                                next = (line_end + 1).min(input.len());
                                break;
                            }
                            pos = (line_end + 1).min(input.len());
                            if line_end == input.len() {
                                break;
                            }
                        }
                        out.push(Piece::CopyData {
                            data: input[start..data_end].to_string(),
                            offset: start,
                        });
                        base = next;
                        continue 'again;
                    }
                }
            }
        }
        break;
    }
    out
}

/// Stand-in for `crate::sql::vars::interpolate`: `:name`, `:'name'`, `:"name"`, `:{?name}`
/// outside quotes, comments and dollar bodies (roughly: the real one is exact).
pub fn interpolate(
    sql: &str,
    _dialect: Dialect,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> String {
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let mut i = 0;
    let name_len = |s: &str| {
        s.bytes()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c >= 0x80)
            .count()
    };
    while i < b.len() {
        let c = b[i];
        let skip_to = match c {
            b'\'' | b'"' => sql[i + 1..].find(c as char).map(|j| i + 1 + j + 1),
            b'-' if b.get(i + 1) == Some(&b'-') => {
                Some(sql[i..].find('\n').map_or(sql.len(), |j| i + j))
            }
            b'/' if b.get(i + 1) == Some(&b'*') => sql[i..].find("*/").map(|j| i + j + 2),
            b'$' => {
                let tag_len = sql[i + 1..].find('$').filter(|&j| {
                    sql[i + 1..i + 1 + j]
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || c == b'_')
                        && !sql[i + 1..i + 1 + j].starts_with(|c: char| c.is_ascii_digit())
                });
                tag_len.and_then(|j| {
                    let tag = &sql[i..i + j + 2];
                    sql[i + tag.len()..]
                        .find(tag)
                        .map(|k| i + tag.len() + k + tag.len())
                })
            }
            b':' if b.get(i + 1) == Some(&b':') => Some(i + 2),
            b':' => {
                let rest = &sql[i + 1..];
                let (name, quote, used) = if let Some(r) = rest.strip_prefix('\'') {
                    let n = name_len(r);
                    (&r[..n], Some('\''), n + 2)
                } else if let Some(r) = rest.strip_prefix('"') {
                    let n = name_len(r);
                    (&r[..n], Some('"'), n + 2)
                } else if let Some(r) = rest.strip_prefix("{?") {
                    let n = name_len(r);
                    (&r[..n], Some('?'), n + 3)
                } else {
                    let n = name_len(rest);
                    (&rest[..n], None, n)
                };
                let closed = match quote {
                    Some('?') => rest[used - 1..].starts_with('}'),
                    Some(q) => rest[used - 1..].starts_with(q),
                    None => true,
                };
                let value = (!name.is_empty() && closed)
                    .then(|| match quote {
                        Some('?') => Some(
                            if lookup(name).is_some() {
                                "TRUE"
                            } else {
                                "FALSE"
                            }
                            .into(),
                        ),
                        Some('\'') => lookup(name).map(|v| format!("'{}'", v.replace('\'', "''"))),
                        Some(_) => lookup(name).map(|v| format!("\"{}\"", v.replace('"', "\"\""))),
                        None => lookup(name),
                    })
                    .flatten();
                if let Some(v) = value {
                    out.push_str(&v);
                    i += 1 + used;
                    continue;
                }
                None
            }
            _ => None,
        };
        match skip_to {
            Some(j) if j > i => {
                let j = j.min(sql.len());
                out.push_str(&sql[i..j]);
                i = j;
            }
            _ => {
                let ch = sql[i..].chars().next().unwrap_or(' ');
                out.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_data_and_command_endings() {
        let mut s = Splitter::new(Dialect::Postgres);
        let p = split(
            &mut s,
            "copy t from stdin;\n1\ta\n2\tb\n\\.\nselect 1 as x \\gset p_\nselect 2;",
        );
        assert!(matches!(&p[1], Piece::CopyData { data, .. } if data == "1\ta\n2\tb\n"));
        assert!(
            matches!(&p[2], Piece::Sql { terminator: Terminator::Command(c), .. } if c == "\\gset p_")
        );
        assert!(matches!(&p[3], Piece::Sql { text, .. } if text == "select 2"));
    }

    #[test]
    fn interpolation_skips_literals() {
        let look = |n: &str| (n == "v").then(|| "it's".to_string());
        assert_eq!(
            interpolate(
                "select :'v', ':v', :v::text, :{?v}, :{?w}",
                Dialect::Postgres,
                &look
            ),
            "select 'it''s', ':v', it's::text, TRUE, FALSE"
        );
    }
}
