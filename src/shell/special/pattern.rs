//! psql-style name patterns (`user*`, `public.ord?rs`, `"MixedCase"`) turned into SQL
//! conditions for each backend: `*` and `?` are wildcards, an unquoted dot separates the
//! schema from the name, and matching ignores case unless part of the name is quoted.
//!
//! User text only ever reaches SQL as an escaped string literal built here.

use crate::db::collect::literal;
use crate::db::Backend;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Lit(char),
    /// `*`
    Many,
    /// `?`
    One,
}

/// One dotted part of a pattern (the schema or the name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    toks: Vec<Tok>,
    /// Some of it was quoted: match exactly (unquoted letters are folded to lower case).
    case_sensitive: bool,
}

/// A parsed pattern: `schema.name`, or just `name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub schema: Option<Part>,
    pub name: Part,
}

impl Pattern {
    /// Parse a pattern; `Ok(None)` for an empty one (everything).
    pub fn parse(text: &str) -> Result<Option<Pattern>, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let mut parts = vec![Part {
            toks: Vec::new(),
            case_sensitive: false,
        }];
        let mut quoted = false;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let part = parts.last_mut().ok_or("empty pattern")?;
            if quoted {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        part.toks.push(Tok::Lit('"'));
                    } else {
                        quoted = false;
                    }
                } else {
                    part.toks.push(Tok::Lit(c));
                }
                continue;
            }
            match c {
                '"' => {
                    quoted = true;
                    part.case_sensitive = true;
                }
                '*' => part.toks.push(Tok::Many),
                '?' => part.toks.push(Tok::One),
                '.' => parts.push(Part {
                    toks: Vec::new(),
                    case_sensitive: false,
                }),
                c if c.is_whitespace() => {
                    return Err(format!(
                        "unexpected space in pattern '{text}' (quote it: \"a b\")"
                    ))
                }
                c => part.toks.extend(c.to_lowercase().map(Tok::Lit)),
            }
        }
        if quoted {
            return Err(format!("unterminated quoted name in pattern '{text}'"));
        }
        let mut parts = parts.into_iter();
        match (parts.next(), parts.next(), parts.next()) {
            (Some(name), None, _) => Ok(Some(Pattern { schema: None, name })),
            (Some(schema), Some(name), None) => Ok(Some(Pattern {
                schema: Some(schema),
                name,
            })),
            _ => Err(format!(
                "improper qualified name (too many dotted names): {text}"
            )),
        }
    }
}

impl Part {
    /// Whether the part matches everything (`*`, or empty as in `public.`).
    pub fn is_any(&self) -> bool {
        self.toks.iter().all(|t| *t == Tok::Many)
    }

    /// The literal text when there are no wildcards.
    pub fn literal(&self) -> Option<String> {
        self.toks
            .iter()
            .map(|t| match t {
                Tok::Lit(c) => Some(*c),
                _ => None,
            })
            .collect()
    }

    /// An SQL condition: `column` matches this part, on `backend`.
    pub fn condition(&self, column: &str, backend: Backend) -> String {
        if self.is_any() {
            return "TRUE".into();
        }
        // Exact names compare with `=` so that the catalogs' name indexes can be used.
        if let (true, Some(lit)) = (self.case_sensitive, self.literal()) {
            let lit = literal(&lit, backend);
            return match backend {
                Backend::Mysql => format!("CAST({column} AS BINARY) = CAST({lit} AS BINARY)"),
                _ => format!("{column} = {lit}"),
            };
        }
        match backend {
            Backend::Postgres => {
                let op = if self.case_sensitive { "LIKE" } else { "ILIKE" };
                format!(
                    "{column} {op} {} ESCAPE '!'",
                    literal(&self.like(), backend)
                )
            }
            Backend::Mysql if self.case_sensitive => format!(
                "CAST({column} AS BINARY) LIKE CAST({} AS BINARY) ESCAPE '!'",
                literal(&self.like(), backend)
            ),
            Backend::Mysql => format!(
                "LOWER({column}) LIKE {} ESCAPE '!'",
                literal(&self.like(), backend)
            ),
            Backend::Sqlite if self.case_sensitive => {
                format!("{column} GLOB {}", literal(&self.glob(), backend))
            }
            Backend::Sqlite => format!(
                "{column} LIKE {} ESCAPE '!'",
                literal(&self.like(), backend)
            ),
        }
    }

    /// A LIKE pattern with `!` as the escape character.
    fn like(&self) -> String {
        let mut s = String::new();
        for t in &self.toks {
            match t {
                Tok::Many => s.push('%'),
                Tok::One => s.push('_'),
                Tok::Lit(c @ ('%' | '_' | '!')) => {
                    s.push('!');
                    s.push(*c);
                }
                Tok::Lit(c) => s.push(*c),
            }
        }
        s
    }

    /// A GLOB pattern (SQLite, case-sensitive): literal wildcards go in brackets.
    fn glob(&self) -> String {
        let mut s = String::new();
        for t in &self.toks {
            match t {
                Tok::Many => s.push('*'),
                Tok::One => s.push('?'),
                Tok::Lit(c @ ('*' | '?' | '[')) => {
                    s.push('[');
                    s.push(*c);
                    s.push(']');
                }
                Tok::Lit(c) => s.push(*c),
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond(p: &str, b: Backend) -> String {
        let p = Pattern::parse(p).unwrap().unwrap();
        p.name.condition("c", b)
    }

    #[test]
    fn wildcards_and_escaping() {
        assert_eq!(
            cond("user*", Backend::Postgres),
            "c ILIKE 'user%' ESCAPE '!'"
        );
        assert_eq!(
            cond("a_b?", Backend::Postgres),
            "c ILIKE 'a!_b_' ESCAPE '!'"
        );
        assert_eq!(cond("it's", Backend::Sqlite), "c LIKE 'it''s' ESCAPE '!'");
        assert_eq!(
            cond("a\\b*", Backend::Mysql),
            "LOWER(c) LIKE 'a\\\\b%' ESCAPE '!'"
        );
        assert_eq!(
            cond("a\\b*", Backend::Postgres),
            "c ILIKE E'a\\\\b%' ESCAPE '!'"
        );
        assert_eq!(cond("*", Backend::Postgres), "TRUE");
    }

    #[test]
    fn quoting_makes_it_exact_and_case_sensitive() {
        assert_eq!(cond("\"Users\"", Backend::Postgres), "c = 'Users'");
        assert_eq!(cond("\"Us*\"", Backend::Sqlite), "c = 'Us*'");
        assert_eq!(cond("\"Us\"*", Backend::Sqlite), "c GLOB 'Us*'");
        assert_eq!(cond("\"a\"\"b\"", Backend::Postgres), "c = 'a\"b'");
        assert_eq!(
            cond("\"X\"", Backend::Mysql),
            "CAST(c AS BINARY) = CAST('X' AS BINARY)"
        );
    }

    #[test]
    fn schema_dot_name() {
        let p = Pattern::parse("Public.ord*").unwrap().unwrap();
        assert_eq!(p.schema.unwrap().literal().as_deref(), Some("public"));
        assert_eq!(
            p.name.condition("n", Backend::Sqlite),
            "n LIKE 'ord%' ESCAPE '!'"
        );
        let p = Pattern::parse("\"my.schema\".t").unwrap().unwrap();
        assert_eq!(p.schema.unwrap().literal().as_deref(), Some("my.schema"));
        assert!(Pattern::parse("a.b.c").is_err());
        assert!(Pattern::parse("\"open").is_err());
        assert_eq!(Pattern::parse("  ").unwrap(), None);
    }
}
