//! The session's psql-style variables (`\set`, `-v`, `\gset`) and psql's rules for reading a
//! value as a boolean. The same store serves every backend.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct Vars {
    values: BTreeMap<String, String>,
}

/// Variables whose value must read as a boolean; `\set` refuses anything else.
const BOOLEAN_VARS: &[&str] = &["AUTOCOMMIT", "ON_ERROR_STOP", "QUIET"];

impl Vars {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// Set `name`; refuses bad names and non-boolean values for boolean variables.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        if !valid_name(name) {
            return Err(format!("invalid variable name: \"{name}\""));
        }
        if BOOLEAN_VARS.contains(&name) && parse_bool(value).is_none() {
            return Err(format!(
                "unrecognized value \"{value}\" for \"{name}\"\nAvailable values: on, off."
            ));
        }
        self.values.insert(name.to_string(), value.to_string());
        Ok(())
    }

    pub fn unset(&mut self, name: &str) {
        self.values.remove(name);
    }

    /// A boolean variable's value, when it is set to something that reads as one.
    pub fn flag(&self, name: &str) -> Option<bool> {
        self.get(name).and_then(parse_bool)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// psql's variable names: letters, digits and underscores (any non-ASCII letter too).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || !c.is_ascii())
}

/// psql's booleans: any unambiguous prefix of true/false/yes/no, on/off (at least two
/// letters), 1/0; case-insensitive.
pub fn parse_bool(value: &str) -> Option<bool> {
    let v = value.trim().to_ascii_lowercase();
    if v.is_empty() {
        return None;
    }
    let prefix_of = |word: &str| word.starts_with(v.as_str());
    if prefix_of("true") || prefix_of("yes") || v == "1" {
        Some(true)
    } else if prefix_of("false") || prefix_of("no") || v == "0" {
        Some(false)
    } else if v.len() >= 2 && prefix_of("on") {
        Some(true)
    } else if v.len() >= 2 && prefix_of("off") {
        Some(false)
    } else {
        None
    }
}

/// A string as a SQL literal, as psql quotes `:'name'` (E'' when it holds backslashes).
pub fn quote_literal(v: &str) -> String {
    let body = v.replace('\'', "''");
    if v.contains('\\') {
        format!(" E'{}'", body.replace('\\', "\\\\"))
    } else {
        format!("'{body}'")
    }
}

/// A string as a SQL identifier, as psql quotes `:"name"`.
pub fn quote_ident(v: &str) -> String {
    format!("\"{}\"", v.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_read_as_psql_reads_them() {
        for t in ["t", "TRUE", "y", "yes", "on", "1", "On"] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["f", "false", "n", "NO", "off", "of", "0"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        for bad in ["o", "", "2", "maybe", "tru e"] {
            assert_eq!(parse_bool(bad), None, "{bad}");
        }
    }

    #[test]
    fn boolean_variables_refuse_other_values() {
        let mut v = Vars::default();
        assert!(v.set("ON_ERROR_STOP", "maybe").is_err());
        assert!(v.set("ON_ERROR_STOP", "on").is_ok());
        assert_eq!(v.flag("ON_ERROR_STOP"), Some(true));
        assert!(v.set("bad-name", "x").is_err());
    }
}
