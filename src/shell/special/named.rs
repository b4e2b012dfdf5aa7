//! Named queries: `\ns name query` saves, `\n name args…` runs with `$1…$n` and `$*`
//! replaced, `\n` lists, `\nd name` deletes. They live in
//! `<config dir>/dbsh/named_queries.toml`, written atomically with mode 0600 (queries
//! can name customers and tables).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::rows::{self, Rows};
use super::Then;
use crate::shell::{RunError, Session};

#[derive(Debug, Default, serde::Deserialize, serde::Serialize)]
struct Store {
    #[serde(default)]
    queries: BTreeMap<String, String>,
}

fn path() -> Result<PathBuf, String> {
    dirs::config_dir()
        .map(|d| d.join("dbsh").join("named_queries.toml"))
        .ok_or_else(|| "no config directory (set HOME or XDG_CONFIG_HOME)".into())
}

fn load() -> Result<Store, String> {
    let path = path()?;
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Store::default()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

fn save(store: &Store) -> Result<(), String> {
    let path = path()?;
    let text = toml::to_string(store).map_err(|e| e.to_string())?;
    crate::files::write_private(&path, text.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn fail(command: &str, why: impl std::fmt::Display) -> RunError {
    eprintln!("{command}: {why}");
    RunError::Failed
}

/// `\ns name query`
pub(super) fn save_query(session: &mut Session, arg: &str) -> Result<(), RunError> {
    let Some((name, query)) = arg.split_once(char::is_whitespace) else {
        return super::usage("\\ns");
    };
    let query = query.trim();
    if query.is_empty() {
        return super::usage("\\ns");
    }
    let mut store = load().map_err(|e| fail("\\ns", e))?;
    store.queries.insert(name.to_string(), query.to_string());
    save(&store).map_err(|e| fail("\\ns", e))?;
    session.print(&format!("Saved: {name}"))
}

/// `\nd name`
pub(super) fn delete_query(session: &mut Session, arg: &str) -> Result<(), RunError> {
    if arg.is_empty() || arg.contains(char::is_whitespace) {
        return super::usage("\\nd");
    }
    let mut store = load().map_err(|e| fail("\\nd", e))?;
    if store.queries.remove(arg).is_none() {
        return Err(fail("\\nd", format!("no named query '{arg}'")));
    }
    save(&store).map_err(|e| fail("\\nd", e))?;
    session.print(&format!("Deleted: {arg}"))
}

/// `\n` lists; `\n name args…` runs.
pub(super) async fn run_query(session: &mut Session, arg: &str) -> Result<Then, RunError> {
    let store = load().map_err(|e| fail("\\n", e))?;
    if arg.is_empty() {
        let mut list = Rows::with_columns(&["Name", "Query"]);
        for (name, query) in &store.queries {
            list.rows
                .push(vec![Some(name.clone()), Some(query.clone())]);
        }
        return rows::show(session, &list).map(|()| Then::Done);
    }
    let (name, rest) = arg.split_once(char::is_whitespace).unwrap_or((arg, ""));
    let Some(query) = store.queries.get(name) else {
        return Err(fail(
            "\\n",
            format!("no named query '{name}' (\\n lists them)"),
        ));
    };
    let args = split_args(rest).map_err(|e| fail("\\n", e))?;
    let sql = substitute(query, &args).map_err(|e| fail("\\n", format!("{name}: {e}")))?;
    Ok(Then::Run(sql))
}

/// Arguments as every backslash command reads them (special/args.rs: `'O''Brien'` is one
/// argument); a wholly double-quoted argument loses its quotes, as `\n` always did.
pub(super) fn split_args(text: &str) -> Result<Vec<String>, String> {
    let mut open: Option<char> = None;
    for c in text.chars() {
        match open {
            Some(q) if c == q => open = None,
            None if c == '\'' || c == '"' => open = Some(c),
            _ => {}
        }
    }
    if let Some(c) = open {
        return Err(format!("unterminated {c} in arguments"));
    }
    Ok(super::args::split(text, &|_| None)
        .into_iter()
        .map(
            |a| match a.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
                Some(inner) if a.len() >= 2 => inner.replace("\"\"", "\""),
                _ => a,
            },
        )
        .collect())
}

/// Replace `$1…$n` with the arguments and `$*` with all of them, space-separated.
/// Other `$` (dollar quotes, `$$`) stay as they are.
pub(super) fn substitute(query: &str, args: &[String]) -> Result<String, String> {
    let mut out = String::with_capacity(query.len());
    let mut rest = query;
    let mut needed = 0;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            let n: usize = after[..digits].parse().map_err(|_| "bad $n".to_string())?;
            needed = needed.max(n);
            if n >= 1 {
                if let Some(a) = args.get(n - 1) {
                    out.push_str(a);
                }
            }
            rest = &after[digits..];
        } else if let Some(r) = after.strip_prefix('*') {
            out.push_str(&args.join(" "));
            rest = r;
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    if needed > args.len() {
        return Err(format!(
            "needs {needed} argument{}, got {}",
            if needed == 1 { "" } else { "s" },
            args.len()
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_and_substitution() {
        let args = split_args("42 'two words' \"x y\"").unwrap();
        assert_eq!(args, ["42", "two words", "x y"]);
        assert_eq!(
            substitute("select $1, '$2' where a = $10 or $*", &args[..2]).unwrap_err(),
            "needs 10 arguments, got 2"
        );
        assert_eq!(
            substitute("select $1, '$2', $*, $$x$$", &args).unwrap(),
            "select 42, 'two words', 42 two words x y, $$x$$"
        );
        assert!(split_args("'open").is_err());
        assert_eq!(split_args("q 'O''Brien'").unwrap(), ["q", "O'Brien"]);
    }
}
