//! The mysql client's option files (`my.cnf`): which files are read, which sections count,
//! and how a line becomes an option.
//!
//! Only the client-side connection options dbsh understands are kept (user, password, host,
//! port, socket, database, ssl-mode, ssl-ca); everything else is ignored, as the mysql
//! client ignores options of other programs. `!include` and `!includedir` are followed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Sections the mysql and mariadb clients read, in the order they apply (later wins).
const SECTIONS: &[&str] = &[
    "client",
    "client-server",
    "client-mariadb",
    "mysql",
    "mariadb-client",
];

/// Options dbsh takes from option files.
const KEYS: &[&str] = &[
    "user", "password", "host", "port", "socket", "database", "ssl-mode", "ssl-ca",
];

/// `!include` depth limit: a file including itself must not loop forever.
const MAX_DEPTH: usize = 10;

/// Connection options found in option files; later files override earlier ones. `Debug`
/// never shows the password.
#[derive(Clone, Default, PartialEq, Eq)]
pub(super) struct OptionFile {
    values: HashMap<String, String>,
}

impl std::fmt::Debug for OptionFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown: std::collections::BTreeMap<&str, &str> = self
            .values
            .iter()
            .map(|(k, v)| {
                let v = if k == "password" { "***" } else { v.as_str() };
                (k.as_str(), v)
            })
            .collect();
        f.debug_struct("OptionFile")
            .field("values", &shown)
            .finish()
    }
}

impl OptionFile {
    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// The files the mysql client reads by default, in order; missing ones are skipped.
    pub(super) fn default_paths(home: Option<&Path>) -> Vec<PathBuf> {
        let mut paths = vec![
            PathBuf::from("/etc/my.cnf"),
            PathBuf::from("/etc/mysql/my.cnf"),
        ];
        if let Some(home) = home {
            paths.push(home.join(".my.cnf"));
        }
        paths
    }

    /// Read the `default_files` (skipping those that do not exist or cannot be read: the
    /// mysql client does the same) or, with `defaults_file`, only that one, which must exist.
    pub(super) fn load(
        defaults_file: Option<&Path>,
        default_files: &[PathBuf],
    ) -> Result<OptionFile, String> {
        let mut out = OptionFile::default();
        match defaults_file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read defaults file {}: {e}", path.display()))?;
                out.parse(&text, path, 0);
            }
            None => {
                for path in default_files {
                    if let Ok(text) = std::fs::read_to_string(path) {
                        out.parse(&text, path, 0);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Parse one file's text into `self` (values from later sections and files win, with
    /// the section order of `SECTIONS` applied within a file).
    pub(super) fn parse(&mut self, text: &str, path: &Path, depth: usize) {
        // Collect per section first so that `[mysql]` beats `[client]` wherever it appears.
        let mut by_section: Vec<HashMap<String, String>> = vec![HashMap::new(); SECTIONS.len()];
        let mut section: Option<usize> = None;
        for raw in text.lines() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if let Some(rest) = line.strip_prefix('!') {
                if depth < MAX_DEPTH {
                    self.include(rest, path, depth);
                }
                continue;
            }
            if let Some(name) = line.strip_prefix('[') {
                let name = name
                    .split(']')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase();
                section = SECTIONS.iter().position(|s| *s == name);
                continue;
            }
            let Some(idx) = section else { continue };
            let (key, value) = match line.split_once('=') {
                Some((k, v)) => (k.trim(), unquote(v.trim())),
                None => (line, String::new()),
            };
            let key = key.to_ascii_lowercase().replace('_', "-");
            let key = match key.as_str() {
                // The mysql client's synonyms.
                "pass" => "password".to_string(),
                "db" => "database".to_string(),
                _ => key,
            };
            if KEYS.contains(&key.as_str()) {
                by_section[idx].insert(key, value);
            }
        }
        for values in by_section {
            self.values.extend(values);
        }
    }

    fn include(&mut self, directive: &str, from: &Path, depth: usize) {
        let (what, arg) = match directive.split_once(char::is_whitespace) {
            Some((w, a)) => (w, a.trim()),
            None => return,
        };
        let target = resolve(arg, from);
        match what {
            "include" => {
                if let Ok(text) = std::fs::read_to_string(&target) {
                    self.parse(&text, &target, depth + 1);
                }
            }
            "includedir" => {
                let Ok(entries) = std::fs::read_dir(&target) else {
                    return;
                };
                let mut files: Vec<PathBuf> = entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "cnf"))
                    .collect();
                files.sort();
                for f in files {
                    if let Ok(text) = std::fs::read_to_string(&f) {
                        self.parse(&text, &f, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

/// An include path relative to the including file's directory.
fn resolve(arg: &str, from: &Path) -> PathBuf {
    let p = PathBuf::from(arg);
    if p.is_absolute() {
        p
    } else {
        from.parent().map_or(p.clone(), |dir| dir.join(&p))
    }
}

/// An option value: quotes removed with the escapes the mysql client knows, or a trailing
/// ` # comment` dropped from an unquoted value.
fn unquote(v: &str) -> String {
    let mut chars = v.chars();
    match chars.next() {
        Some(q @ ('"' | '\'')) => {
            let mut out = String::new();
            let mut escaped = false;
            for c in chars {
                if escaped {
                    out.push(match c {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        'b' => '\u{8}',
                        's' => ' ',
                        other => other,
                    });
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    break;
                } else {
                    out.push(c);
                }
            }
            out
        }
        _ => {
            let cut = v.find(" #").or_else(|| v.find("\t#")).unwrap_or(v.len());
            v[..cut].trim_end().to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> OptionFile {
        let mut f = OptionFile::default();
        f.parse(text, Path::new("/nonexistent/my.cnf"), 0);
        f
    }

    #[test]
    fn client_and_mysql_sections() {
        let f = parse(
            "[mysqld]\nport=1\n[mysql]\nport = 3307\n[client]\nuser=alice\nport=3306\npassword=\"s3 #cr\\\"et\"\nhost=db.example # the box\n",
        );
        assert_eq!(f.get("user"), Some("alice"));
        // [mysql] beats [client] even when it comes first in the file.
        assert_eq!(f.get("port"), Some("3307"));
        assert_eq!(f.get("password"), Some("s3 #cr\"et"));
        assert_eq!(f.get("host"), Some("db.example"));
    }

    #[test]
    fn synonyms_and_unknown_keys() {
        let f = parse("[client]\nDB=app\nssl_mode=REQUIRED\nno-beep\ncolor=1\n");
        assert_eq!(f.get("database"), Some("app"));
        assert_eq!(f.get("ssl-mode"), Some("REQUIRED"));
        assert_eq!(f.get("color"), None);
    }

    #[test]
    fn includes_are_followed() {
        let dir = tempfile::tempdir().unwrap();
        let inc = dir.path().join("conf.d");
        std::fs::create_dir(&inc).unwrap();
        std::fs::write(inc.join("a.cnf"), "[client]\nuser=fromdir\n").unwrap();
        std::fs::write(
            dir.path().join("extra.cnf"),
            "[client]\nport=4000\n!include extra.cnf\n",
        )
        .unwrap();
        let main = dir.path().join("my.cnf");
        std::fs::write(&main, "!includedir conf.d\n!include extra.cnf\n").unwrap();
        let f = OptionFile::load(Some(&main), &[]).unwrap();
        assert_eq!(f.get("user"), Some("fromdir"));
        assert_eq!(f.get("port"), Some("4000"));
        assert!(OptionFile::load(Some(&dir.path().join("missing.cnf")), &[]).is_err());
    }
}
