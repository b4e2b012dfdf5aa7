//! The config file: model, defaults and location (`--config`, `$DBSH_CONFIG`, then
//! `config.toml` in the XDG config directory). A missing file means defaults; a bad one is
//! an error that names the file, line and key.

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

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub keys: Keys,
    pub theme: Option<String>,
    pub table_style: Style,
    /// How NULL is shown in tables.
    pub null: String,
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
    pub connections: BTreeMap<String, SavedConnection>,
    /// Prompt template (escapes in repl/prompt.rs); default `user@host:db> ` / `file.db> `.
    pub prompt: Option<String>,
    /// Prompt for the second and later lines of a statement; default `-> ` aligned.
    pub prompt_continuation: Option<String>,
    /// Enter inserts a newline until the statement is complete; false: Enter always runs.
    pub multi_line: bool,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct SavedConnection {
    pub url: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            keys: Keys::Emacs,
            theme: None,
            table_style: Style::Ascii,
            null: "<null>".into(),
            timing: None,
            row_limit: 1000,
            max_field_width: 500,
            pager: true,
            pager_command: None,
            history_file: None,
            history_size: 10_000,
            connections: BTreeMap::new(),
            prompt: None,
            prompt_continuation: None,
            multi_line: true,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
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
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let (path, must_exist) = match explicit {
            Some(p) => (p.to_path_buf(), true),
            None => match default_path() {
                Some(p) => (p, false),
                None => return Ok(Config::default()),
            },
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                Config::parse(&text).map_err(|message| ConfigError::Parse { path, message })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {
                Ok(Config::default())
            }
            Err(source) => Err(ConfigError::Read { path, source }),
        }
    }

    pub fn parse(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let msg = e.message().trim().to_string();
            match line {
                Some(l) => format!("line {l}: {msg}"),
                None => msg,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_values() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.null, "<null>");
        assert_eq!(c.row_limit, 1000);
        let c = Config::parse("keys = \"vi\"\nnull = \"∅\"\ntable_style = \"unicode\"\n[connections.prod]\nurl = \"postgres://x@y/z\"\n").unwrap();
        assert_eq!(c.keys, Keys::Vi);
        assert_eq!(c.null, "∅");
        assert_eq!(c.table_style, Style::Unicode);
        assert_eq!(c.connections["prod"].url, "postgres://x@y/z");
    }

    #[test]
    fn bad_value_names_the_line() {
        let err = Config::parse("null = \"x\"\nkeys = \"nano\"\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
        assert!(err.contains("nano") || err.contains("variant"), "{err}");
    }
}
