//! libpq's password and service files: `~/.pgpass` (PGPASSFILE) and `pg_service.conf`
//! (PGSERVICEFILE, ~/.pg_service.conf, PGSYSCONFDIR), parsed and matched as libpq does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a connection is for, as `.pgpass` lines are matched against it.
pub(super) struct PassKey<'a> {
    pub host: &'a str,
    pub port: u16,
    pub dbname: &'a str,
    pub user: &'a str,
}

/// The password of the first line of `text` that matches `key` (`*` matches anything,
/// `\:` and `\\` are escapes, `#` starts a comment line).
pub(super) fn find_password(text: &str, key: &PassKey<'_>) -> Option<String> {
    let port = key.port.to_string();
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields = split_fields(line);
        if fields.len() < 5 {
            continue;
        }
        let wanted = [key.host, port.as_str(), key.dbname, key.user];
        if fields[..4]
            .iter()
            .zip(wanted)
            .all(|(f, w)| f == "*" || f == w)
        {
            return Some(fields[4].clone());
        }
    }
    None
}

/// Split a `.pgpass` line at unescaped colons; the fifth field takes the rest of the line.
fn split_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    if let Some(f) = fields.last_mut() {
                        f.push(next);
                    }
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => {
                if let Some(f) = fields.last_mut() {
                    f.push(c);
                }
            }
        }
    }
    fields
}

/// Read the password file, unless it is not a plain file or others may read it (then
/// libpq ignores it with a warning, and so do we).
pub(super) fn read_password_file(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        eprintln!(
            "WARNING: password file \"{}\" is not a plain file",
            path.display()
        );
        return None;
    }
    if meta.permissions().mode() & 0o077 != 0 {
        eprintln!(
            "WARNING: password file \"{}\" has group or world access; permissions should be u=rw (0600) or less",
            path.display()
        );
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// The settings of service `name` in a `pg_service.conf` text, or `None` if the file has
/// no such section. Errors name the line.
pub(super) fn find_service(
    text: &str,
    name: &str,
    file: &Path,
) -> Result<Option<BTreeMap<String, String>>, String> {
    let mut found: Option<BTreeMap<String, String>> = None;
    let mut in_section = false;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[') {
            if found.is_some() {
                break; // the section we wanted has ended
            }
            let section = section.strip_suffix(']').unwrap_or(section);
            in_section = section == name;
            if in_section {
                found = Some(BTreeMap::new());
            }
            continue;
        }
        if !in_section {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(format!(
                "syntax error in service file \"{}\", line {}",
                file.display(),
                n + 1
            ));
        };
        if let Some(map) = found.as_mut() {
            map.insert(key.trim().to_string(), value.trim().to_string());
        }
    }
    Ok(found)
}

/// The service files to search, in libpq's order: the user's, then the system one.
pub(super) fn service_files(env: &dyn Fn(&str) -> Option<String>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    match env("PGSERVICEFILE") {
        Some(f) => files.push(PathBuf::from(f)),
        None => {
            if let Some(home) = home_dir(env) {
                files.push(home.join(".pg_service.conf"));
            }
        }
    }
    match env("PGSYSCONFDIR") {
        Some(d) => files.push(PathBuf::from(d).join("pg_service.conf")),
        None => files.push(PathBuf::from("/etc/postgresql-common/pg_service.conf")),
    }
    files
}

/// Load service `name` from the first file that defines it.
pub(super) fn load_service(
    name: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<BTreeMap<String, String>, String> {
    for file in service_files(env) {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        if let Some(map) = find_service(&text, name, &file)? {
            return Ok(map);
        }
    }
    Err(format!("definition of service \"{name}\" not found"))
}

pub(super) fn home_dir(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    env("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(dirs::home_dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key<'a>(host: &'a str, port: u16, dbname: &'a str, user: &'a str) -> PassKey<'a> {
        PassKey {
            host,
            port,
            dbname,
            user,
        }
    }

    #[test]
    fn first_matching_line_wins() {
        let text = "# comment\n\
                    db.example:5432:app:alice:first\n\
                    *:*:app:alice:second\n\
                    *:*:*:*:fallback\n";
        assert_eq!(
            find_password(text, &key("db.example", 5432, "app", "alice")).as_deref(),
            Some("first")
        );
        assert_eq!(
            find_password(text, &key("other", 5433, "app", "alice")).as_deref(),
            Some("second")
        );
        assert_eq!(
            find_password(text, &key("other", 5433, "x", "bob")).as_deref(),
            Some("fallback")
        );
        assert_eq!(find_password("h:1:d:u:p\n", &key("h", 2, "d", "u")), None);
    }

    #[test]
    fn escapes_and_short_lines() {
        let text = "short:line\nfe80\\:\\:1:5432:db:u:pa\\:ss:word\\\\x\n";
        assert_eq!(
            find_password(text, &key("fe80::1", 5432, "db", "u")).as_deref(),
            Some("pa:ss:word\\x")
        );
        // A `*` only matches as a whole field.
        assert_eq!(
            find_password("h*:5432:d:u:p\n", &key("host", 5432, "d", "u")),
            None
        );
        assert_eq!(
            find_password("*:5432:d:u:p\r\n", &key("host", 5432, "d", "u")).as_deref(),
            Some("p")
        );
    }

    #[test]
    fn loose_permissions_are_ignored() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pgpass");
        std::fs::write(&path, "*:*:*:*:secret\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(read_password_file(&path), None);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(
            read_password_file(&path).as_deref(),
            Some("*:*:*:*:secret\n")
        );
    }

    #[test]
    fn service_sections() {
        let text = "# services\n[dev]\nhost=localhost\nport = 5433\n\n[prod]\nhost=db.example\ndbname=app\nuser=ops\n";
        let f = Path::new("pg_service.conf");
        let prod = find_service(text, "prod", f).unwrap().unwrap();
        assert_eq!(prod.get("host").map(String::as_str), Some("db.example"));
        assert_eq!(prod.get("dbname").map(String::as_str), Some("app"));
        assert_eq!(prod.get("port"), None);
        let dev = find_service(text, "dev", f).unwrap().unwrap();
        assert_eq!(dev.get("port").map(String::as_str), Some("5433"));
        assert_eq!(find_service(text, "qa", f).unwrap(), None);
        let err = find_service("[x]\nnonsense\n", "x", f).unwrap_err();
        assert!(err.contains("line 2"), "{err}");
    }
}
