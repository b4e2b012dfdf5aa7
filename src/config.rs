//! The config file: model, defaults and location (`--config`, `$DBSH_CONFIG`, then
//! `config.toml` in the XDG config directory), and saved connections.
//!
//! A missing file means defaults (and on the first interactive run a commented default file
//! is written). A bad value is an error naming the file, line and key; an unknown key is a
//! warning, so that a config written for a newer dbsh still works.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::render::table::Style;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Keys {
    #[default]
    Emacs,
    Vi,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum KeywordCase {
    #[default]
    Upper,
    Lower,
    AsTyped,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default)]
pub struct Config {
    pub keys: Keys,
    pub theme: Option<String>,
    pub table_style: Style,
    /// How NULL is shown in tables.
    pub null: String,
    /// Enter inserts a newline until the statement ends with `;` (false: Enter runs).
    pub multi_line: bool,
    /// Offer completions at all, and open the menu while typing (not only on Tab).
    pub completion: bool,
    pub completion_auto: bool,
    pub keyword_case: KeywordCase,
    /// Show the time of each statement (default: on when interactive).
    pub timing: Option<bool>,
    /// Ask before showing more rows than this at the prompt (0: never ask).
    pub row_limit: u64,
    /// Cut cells longer than this on the terminal (0: never).
    pub max_field_width: usize,
    pub pager: bool,
    pub pager_command: Option<String>,
    pub history_file: Option<PathBuf>,
    pub history_size: usize,
    /// Ask before DROP, TRUNCATE, DELETE/UPDATE without WHERE at the prompt.
    pub destructive_warning: bool,
    /// Cancel statements that run longer than this many seconds.
    pub timeout: Option<f64>,
    /// Prompt template (escapes in repl/prompt.rs); default `user@host:db> ` / `file.db> `.
    pub prompt: Option<String>,
    /// Prompt for the second and later lines of a statement; default `-> ` aligned.
    pub prompt_continuation: Option<String>,
    /// Statements run after connecting, for every connection.
    pub init: Vec<String>,
    pub connections: BTreeMap<String, SavedConnection>,
}

/// A saved connection. `Debug` masks a password in its URL or init statements.
#[derive(Clone, Deserialize, Default, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SavedConnection {
    pub url: String,
    /// Name of an environment variable holding the password, so it need not be written here.
    pub password_env: Option<String>,
    pub read_only: bool,
    pub theme: Option<String>,
    /// Statements run after connecting (after the global `init`).
    pub init: Vec<String>,
}

impl std::fmt::Debug for SavedConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let init: Vec<String> = self
            .init
            .iter()
            .map(|s| crate::secret::mask(s).into_owned())
            .collect();
        f.debug_struct("SavedConnection")
            .field("url", &crate::secret::mask_url(&self.url))
            .field("password_env", &self.password_env)
            .field("read_only", &self.read_only)
            .field("theme", &self.theme)
            .field("init", &init)
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            keys: Keys::Emacs,
            theme: None,
            table_style: Style::Ascii,
            null: "<null>".into(),
            multi_line: true,
            completion: true,
            completion_auto: true,
            keyword_case: KeywordCase::AsTyped,
            timing: None,
            row_limit: 1000,
            max_field_width: 500,
            pager: true,
            pager_command: None,
            history_file: None,
            history_size: 10_000,
            destructive_warning: true,
            timeout: None,
            prompt: None,
            prompt_continuation: None,
            init: Vec::new(),
            connections: BTreeMap::new(),
        }
    }
}

/// Every top-level key the model knows, for unknown-key warnings.
const KNOWN_KEYS: &[&str] = &[
    "keys",
    "theme",
    "table_style",
    "null",
    "multi_line",
    "completion",
    "completion_auto",
    "keyword_case",
    "timing",
    "row_limit",
    "max_field_width",
    "pager",
    "pager_command",
    "history_file",
    "history_size",
    "destructive_warning",
    "timeout",
    "prompt",
    "prompt_continuation",
    "init",
    "connections",
];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("saved connection '{name}': {message}")]
    Connection { name: String, message: String },
}

/// A loaded config and what was odd about it.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    /// Where it was read from (or would be written to), if anywhere.
    pub path: Option<PathBuf>,
    pub exists: bool,
    /// `file: line N: unknown key 'x' (ignored)`, one per key.
    pub warnings: Vec<String>,
}

/// Where the config file is looked for when `--config` is not given.
pub fn default_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DBSH_CONFIG") {
        return Some(PathBuf::from(p));
    }
    dirs::config_dir().map(|d| d.join("dbsh").join("config.toml"))
}

impl Config {
    /// Load `explicit`, or the default location; a missing default file gives defaults,
    /// a missing explicit one is an error.
    pub fn load(explicit: Option<&Path>) -> Result<Loaded, ConfigError> {
        let (path, must_exist) = match explicit {
            Some(p) => (p.to_path_buf(), true),
            None => match default_path() {
                Some(p) => (p, false),
                None => {
                    return Ok(Loaded {
                        config: Config::default(),
                        path: None,
                        exists: false,
                        warnings: Vec::new(),
                    })
                }
            },
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let (config, unknown) =
                    Config::parse(&text).map_err(|message| ConfigError::Parse {
                        path: path.clone(),
                        message,
                    })?;
                let warnings = unknown
                    .into_iter()
                    .map(|w| format!("config file {}: {w}", path.display()))
                    .collect();
                Ok(Loaded {
                    config,
                    path: Some(path),
                    exists: true,
                    warnings,
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => Ok(Loaded {
                config: Config::default(),
                path: Some(path),
                exists: false,
                warnings: Vec::new(),
            }),
            Err(source) => Err(ConfigError::Read { path, source }),
        }
    }

    /// Parse config text: the config, and warnings about unknown keys.
    pub fn parse(text: &str) -> Result<(Config, Vec<String>), String> {
        let config: Config = toml::from_str(text).map_err(|e| locate(text, &e))?;
        // Parsed twice on purpose: converting a Table into Config would lose the spans
        // that give bad values their line numbers.
        let table: toml::Table = toml::from_str(text).map_err(|e| locate(text, &e))?;
        let unknown = table
            .keys()
            .filter(|k| !KNOWN_KEYS.contains(&k.as_str()))
            .map(|k| format!("line {}: unknown key '{k}' (ignored)", line_of_key(text, k)))
            .collect();
        Ok((config, unknown))
    }

    /// The URL of saved connection `name`, with the password from its `password_env`.
    pub fn connection_url(&self, name: &str) -> Result<Option<String>, ConfigError> {
        let Some(c) = self.connections.get(name) else {
            return Ok(None);
        };
        let Some(var) = &c.password_env else {
            return Ok(Some(c.url.clone()));
        };
        let password = std::env::var(var).map_err(|_| ConfigError::Connection {
            name: name.to_string(),
            message: format!("password_env names ${var}, which is not set"),
        })?;
        insert_password(&c.url, &password)
            .map(Some)
            .ok_or_else(|| ConfigError::Connection {
                name: name.to_string(),
                message: "password_env needs a URL with a user (scheme://user@host/…)".into(),
            })
    }
}

/// `scheme://user@host…` -> `scheme://user:PASSWORD@host…`, the password percent-encoded.
fn insert_password(url: &str, password: &str) -> Option<String> {
    let start = url.find("://")? + 3;
    let rest = &url[start..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let at = rest[..end].rfind('@')?;
    let user = rest[..at].split(':').next().unwrap_or_default();
    let mut encoded = String::new();
    for b in password.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    Some(format!("{}{user}:{encoded}{}", &url[..start], &rest[at..]))
}

/// `line N: key: what was wrong`, from a TOML error's span.
fn locate(text: &str, e: &toml::de::Error) -> String {
    let msg = e.message().trim().to_string();
    let Some(span) = e.span() else {
        return msg;
    };
    let start = span.start.min(text.len());
    let line = text[..start].matches('\n').count() + 1;
    let line_text = text.lines().nth(line - 1).unwrap_or_default();
    match line_text.split_once('=') {
        Some((key, _)) if !key.trim().is_empty() && !msg.contains(key.trim()) => {
            format!("line {line}: {}: {msg}", key.trim())
        }
        _ => format!("line {line}: {msg}"),
    }
}

fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
                || l.starts_with(&format!("[{key}"))
        })
        .map_or(0, |i| i + 1)
}

/// The commented default config written on the first interactive run.
pub const DEFAULT_FILE: &str = include_str!("default_config.toml");

/// Write the default config to `path` (mode 0600) if nothing is there yet.
pub fn write_default(path: &Path) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(DEFAULT_FILE.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_values() {
        let (c, warnings) = Config::parse("").unwrap();
        assert_eq!(c, Config::default());
        assert!(warnings.is_empty());
        let (c, _) = Config::parse(
            "keys = \"vi\"\nnull = \"∅\"\ntable_style = \"unicode\"\nkeyword_case = \"as_typed\"\n\
             [connections.prod]\nurl = \"postgres://x@y/z\"\nread_only = true\ninit = [\"set search_path = app\"]\n",
        )
        .unwrap();
        assert_eq!(c.keys, Keys::Vi);
        assert_eq!(c.null, "∅");
        assert_eq!(c.table_style, Style::Unicode);
        assert_eq!(c.keyword_case, KeywordCase::AsTyped);
        assert!(c.connections["prod"].read_only);
        assert_eq!(c.connections["prod"].init, ["set search_path = app"]);
    }

    #[test]
    fn the_default_file_parses_to_the_defaults() {
        let (c, warnings) = Config::parse(DEFAULT_FILE).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(c, Config::default());
    }

    #[test]
    fn every_known_key_is_in_the_default_file() {
        for key in KNOWN_KEYS {
            assert!(
                DEFAULT_FILE.contains(&format!("{key} ="))
                    || DEFAULT_FILE.contains(&format!("[{key}")),
                "{key} is not documented in default_config.toml"
            );
        }
    }

    #[test]
    fn bad_value_names_the_line_and_key() {
        let err = Config::parse("null = \"x\"\nkeys = \"nano\"\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
        assert!(err.contains("nano"), "{err}");
        let err = Config::parse("row_limit = \"many\"\n").unwrap_err();
        assert!(
            err.starts_with("line 1:") && err.contains("row_limit"),
            "{err}"
        );
    }

    #[test]
    fn unknown_keys_are_warnings() {
        let (_, warnings) = Config::parse("null = \"x\"\ncolour = \"red\"\n").unwrap();
        assert_eq!(warnings, ["line 2: unknown key 'colour' (ignored)"]);
    }

    #[test]
    fn password_from_the_environment() {
        let (c, _) = Config::parse(
            "[connections.prod]\nurl = \"postgres://app@db:5432/x\"\npassword_env = \"DBSH_TEST_PW_ENV\"\n",
        )
        .unwrap();
        // SAFETY: tests in this module do not read this variable concurrently.
        unsafe { std::env::set_var("DBSH_TEST_PW_ENV", "p@ss word") };
        assert_eq!(
            c.connection_url("prod").unwrap().as_deref(),
            Some("postgres://app:p%40ss%20word@db:5432/x")
        );
        unsafe { std::env::remove_var("DBSH_TEST_PW_ENV") };
        let err = c.connection_url("prod").unwrap_err().to_string();
        assert!(err.contains("$DBSH_TEST_PW_ENV, which is not set"), "{err}");
        assert_eq!(c.connection_url("other").unwrap(), None);
    }
}
