//! Keeping passwords out of sight: masking them in URLs shown to the user, and scrubbing
//! them from the process's command line (what `ps` shows) once the arguments are parsed.

/// The byte range of the password in a `scheme://user:password@host…` URL.
fn password_span(url: &str) -> Option<std::ops::Range<usize>> {
    let start = url.find("://")? + 3;
    let rest = &url[start..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let at = authority.rfind('@')?;
    let colon = authority[..at].find(':')?;
    (colon + 1 < at).then(|| start + colon + 1..start + at)
}

/// `url` with its password replaced by `***`; unchanged when it has none.
pub fn mask_url(url: &str) -> String {
    match password_span(url) {
        Some(r) => format!("{}***{}", &url[..r.start], &url[r.end..]),
        None => url.to_string(),
    }
}

/// Overwrite passwords in this process's original argv memory with `*`, so that `ps` and
/// `/proc/PID/cmdline` no longer show them (as the mysql client does). Linux only; silently
/// does nothing where the argument area cannot be found. Call after parsing arguments:
/// `std::env::args` reads the same memory.
pub fn scrub_argv() {
    #[cfg(target_os = "linux")]
    {
        let Some((start, end)) = argv_area() else {
            return;
        };
        if end <= start || end - start > 1 << 20 {
            return;
        }
        // SAFETY: [arg_start, arg_end) is this process's argument area, mapped writable on
        // the initial stack; we only overwrite bytes inside it with ASCII '*', which keeps
        // every argument valid UTF-8 of the same length.
        let area = unsafe { std::slice::from_raw_parts_mut(start as *mut u8, end - start) };
        let mut spans = Vec::new();
        let mut offset = 0;
        for arg in area.split(|&b| b == 0) {
            if let Some(r) = std::str::from_utf8(arg).ok().and_then(password_span) {
                spans.push(offset + r.start..offset + r.end);
            }
            offset += arg.len() + 1;
        }
        for span in spans {
            area[span].fill(b'*');
        }
    }
}

#[cfg(target_os = "linux")]
fn argv_area() -> Option<(usize, usize)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at field 3.
    let after = stat.get(stat.rfind(')')? + 2..)?;
    let fields: Vec<&str> = after.split(' ').collect();
    let start = fields.get(48 - 3)?.parse().ok()?;
    let end = fields.get(49 - 3)?.parse().ok()?;
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_only_the_password() {
        assert_eq!(
            mask_url("postgres://bob:s3cr%40t@db:5432/app?sslmode=require"),
            "postgres://bob:***@db:5432/app?sslmode=require"
        );
        assert_eq!(
            mask_url("mysql://root@127.0.0.1/test"),
            "mysql://root@127.0.0.1/test"
        );
        assert_eq!(mask_url("postgres://bob:@db/app"), "postgres://bob:@db/app");
        assert_eq!(mask_url("/path/with:colon@x.db"), "/path/with:colon@x.db");
        assert_eq!(mask_url("mysql://u:p@ss@h/d"), "mysql://u:***@h/d");
    }
}
