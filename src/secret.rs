//! Keeping passwords out of sight: masking them in URLs shown to the user, and scrubbing
//! them from the process's command line (what `ps` shows) once the arguments are parsed.

/// The byte range of the password in a `scheme://user:password@host…` URL.
fn password_span(url: &str) -> Option<std::ops::Range<usize>> {
    let start = url.find("://")? + 3;
    url_password(url, start)
}

/// The password in the authority starting at byte `start` (just after `://`).
fn url_password(text: &str, start: usize) -> Option<std::ops::Range<usize>> {
    let rest = &text[start..];
    let end = rest
        .find(|c: char| {
            matches!(c, '/' | '?' | '#' | '\'' | '"' | '`' | '<' | '>') || c.is_whitespace()
        })
        .unwrap_or(rest.len());
    let authority = &rest[..end];
    let at = authority.rfind('@')?;
    let colon = authority[..at].find(':')?;
    (colon + 1 < at).then(|| start + colon + 1..start + at)
}

/// A message for the screen (an error, a notice, a connection description): passwords
/// masked and control characters escaped.
pub fn for_display(text: &str) -> String {
    crate::render::sanitize::escape_controls(&mask(text), true).into_owned()
}

/// `url` with its password replaced by `***`; unchanged when it has none.
pub fn mask_url(url: &str) -> String {
    mask(url).into_owned()
}

/// The one masker: `text` (a typed line, a URL, an error message) with every password in
/// it replaced by `***`. It finds
/// - URL passwords anywhere in the text (`\c postgres://u:pw@h/db`, `mysql://…`);
/// - keyword forms: `password=pw`, `password = 'p w'`, `PGPASSWORD=pw`, `MYSQL_PWD=pw`,
///   `sslpassword=…`, `?password=pw&…` in a URL's query;
/// - SQL: the literal after `PASSWORD` (`ALTER USER … PASSWORD 'pw'`, `PASSWORD('pw')`,
///   `SET PASSWORD FOR u = 'pw'`) and after `IDENTIFIED … BY`/`AS`.
///
/// Errs on the side of masking: a false positive only hides text.
pub fn mask(text: &str) -> std::borrow::Cow<'_, str> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("://") {
        let start = from + i + 3;
        spans.extend(url_password(text, start));
        from = start;
    }
    keyword_spans(text, &mut spans);
    sql_spans(text, &mut spans);
    if spans.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    spans.sort_by_key(|r| (r.start, r.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in spans {
        if r.end <= at {
            continue;
        }
        let start = r.start.max(at);
        out.push_str(&text[at..start]);
        out.push_str("***");
        at = r.end;
    }
    out.push_str(&text[at..]);
    std::borrow::Cow::Owned(out)
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// A value after `=` or a keyword, starting at `i` (spaces skipped): a quoted literal's
/// inside, or a bare word up to a space or separator.
fn value_span(text: &str, mut i: usize) -> Option<std::ops::Range<usize>> {
    let b = text.as_bytes();
    while b.get(i).is_some_and(|c| *c == b' ' || *c == b'\t') {
        i += 1;
    }
    match b.get(i)? {
        q @ (b'\'' | b'"') => Some(literal_inside(b, i, *q)),
        _ => {
            let end = text[i..]
                .find(|c: char| c.is_whitespace() || matches!(c, '&' | ';' | ',' | ')' | '#'))
                .map_or(text.len(), |e| i + e);
            (end > i).then_some(i..end)
        }
    }
}

/// The inside of the literal whose opening quote `q` is at `open` (to the end of the text
/// when unterminated); doubled quotes and backslash escapes stay inside.
fn literal_inside(b: &[u8], open: usize, q: u8) -> std::ops::Range<usize> {
    let mut j = open + 1;
    while j < b.len() {
        if b[j] == b'\\' {
            j += 2;
            continue;
        }
        if b[j] == q {
            if b.get(j + 1) == Some(&q) {
                j += 2;
                continue;
            }
            return open + 1..j;
        }
        j += 1;
    }
    open + 1..b.len()
}

/// `…password=value`, `…passwd = 'value'`, `MYSQL_PWD=value`.
fn keyword_spans(text: &str, spans: &mut Vec<std::ops::Range<usize>>) {
    let b = text.as_bytes();
    for (eq, _) in text.match_indices('=') {
        let mut k = eq;
        while k > 0 && b[k - 1] == b' ' {
            k -= 1;
        }
        let mut start = k;
        while start > 0 && is_ident_byte(b[start - 1]) {
            start -= 1;
        }
        let key = text[start..k].to_ascii_lowercase();
        if ["password", "passwd", "pwd"]
            .iter()
            .any(|w| key.ends_with(w))
        {
            spans.extend(value_span(text, eq + 1));
        }
    }
}

/// The words of `text` outside quotes, as (start, end) byte offsets, upper-cased.
fn sql_words(text: &str) -> Vec<(usize, usize, String)> {
    let b = text.as_bytes();
    let mut words = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"' | b'`') => {
                let inside = literal_inside(b, i, q);
                i = inside.end + 1;
            }
            c if c.is_ascii_alphanumeric() || c == b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                words.push((start, i, text[start..i].to_ascii_uppercase()));
            }
            _ => i += 1,
        }
    }
    words
}

/// The first quoted literal at or after `i`, skipping spaces and `(`/`=`; None when
/// something else comes first.
fn next_literal(text: &str, mut i: usize) -> Option<std::ops::Range<usize>> {
    let b = text.as_bytes();
    while b
        .get(i)
        .is_some_and(|c| c.is_ascii_whitespace() || matches!(c, b'(' | b'='))
    {
        i += 1;
    }
    match b.get(i)? {
        q @ (b'\'' | b'"') => Some(literal_inside(b, i, *q)),
        _ => None,
    }
}

/// SQL that carries a password in a literal.
fn sql_spans(text: &str, spans: &mut Vec<std::ops::Range<usize>>) {
    let words = sql_words(text);
    for (n, (_, end, w)) in words.iter().enumerate() {
        match w.as_str() {
            "PASSWORD" => {
                if let Some(r) = next_literal(text, *end) {
                    spans.push(r);
                } else if words.get(n + 1).is_some_and(|x| x.2 == "FOR") {
                    // SET PASSWORD FOR user = 'pw': the literal after the `=`.
                    let stop = text[*end..].find(';').map_or(text.len(), |s| end + s);
                    if let Some(eq) = text[*end..stop].rfind('=') {
                        spans.extend(next_literal(text, end + eq + 1));
                    }
                }
            }
            "IDENTIFIED" => {
                let by = words[n + 1..]
                    .iter()
                    .take(4)
                    .find(|x| x.2 == "BY" || x.2 == "AS");
                if let Some((_, by_end, _)) = by {
                    spans.extend(next_literal(text, *by_end));
                }
            }
            _ => {}
        }
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
    fn every_form_of_a_secret_is_masked() {
        for (given, want) in [
            (
                "\\c postgres://bob:hunter2@db/app",
                "\\c postgres://bob:***@db/app",
            ),
            (
                "\\connect mysql://root:pw@127.0.0.1:3306/test",
                "\\connect mysql://root:***@127.0.0.1:3306/test",
            ),
            ("-c postgresql://u:p%40ss@h", "-c postgresql://u:***@h"),
            ("x 'postgres://u:pw@h/d' y", "x 'postgres://u:***@h/d' y"),
            (
                "postgres://h/db?user=u&password=pw&sslmode=require",
                "postgres://h/db?user=u&password=***&sslmode=require",
            ),
            (
                "host=db user=bob password=hunter2 dbname=app",
                "host=db user=bob password=*** dbname=app",
            ),
            (
                "host=db password = 'two words' port=5",
                "host=db password = '***' port=5",
            ),
            ("PGPASSWORD=s3cret dbsh", "PGPASSWORD=*** dbsh"),
            ("MYSQL_PWD=s3cret", "MYSQL_PWD=***"),
            ("sslpassword=k", "sslpassword=***"),
            (
                "CREATE USER 'u'@'%' IDENTIFIED BY 'pw'",
                "CREATE USER 'u'@'%' IDENTIFIED BY '***'",
            ),
            (
                "create user u identified with mysql_native_password by \"pw\"",
                "create user u identified with mysql_native_password by \"***\"",
            ),
            (
                "ALTER USER bob PASSWORD 'it''s'",
                "ALTER USER bob PASSWORD '***'",
            ),
            (
                "alter role bob with encrypted password 'x';",
                "alter role bob with encrypted password '***';",
            ),
            (
                "SET PASSWORD FOR 'u'@'%' = PASSWORD('pw')",
                "SET PASSWORD FOR 'u'@'%' = PASSWORD('***')",
            ),
            (
                "SET PASSWORD FOR 'u'@'%' = 'pw'",
                "SET PASSWORD FOR 'u'@'%' = '***'",
            ),
            ("SET PASSWORD = 'pw'", "SET PASSWORD = '***'"),
            (
                "alter user bob password 'unterminated",
                "alter user bob password '***",
            ),
        ] {
            assert_eq!(mask(given), want, "{given}");
        }
    }

    #[test]
    fn debug_of_every_target_type_redacts_the_password() {
        let params = crate::db::ConnectParams::default();
        for url in [
            "postgres://bob:hunter2@db/app",
            "mysql://bob:hunter2@db/app",
            "mariadb://bob:hunter2@db:3307/app?ssl-mode=disabled",
        ] {
            let t = crate::db::Target::parse(Some(url), &params).unwrap();
            let shown = format!("{t:?} {t:#?}");
            assert!(!shown.contains("hunter2"), "{shown}");
            assert!(shown.contains("bob"), "{shown}");
        }
        let saved = crate::config::SavedConnection {
            url: "postgres://bob:hunter2@db/app".into(),
            init: vec!["ALTER ROLE x PASSWORD 'hunter2'".into()],
            ..Default::default()
        };
        assert!(!format!("{saved:?}").contains("hunter2"));
        assert!(
            !format!("{:?}", for_display("\\c mysql://u:hunter2@h\u{1b}[2J")).contains("hunter2")
        );
        assert!(!for_display("x\u{1b}[2J").contains('\u{1b}'));
    }

    #[test]
    fn text_without_secrets_is_untouched() {
        for s in [
            "select password_hash from users",
            "\\password bob",
            "postgres://bob@db/app",
            "ALTER USER bob PASSWORD NULL",
            "select 'password' as p",
            "mysql://root@127.0.0.1/test",
            "",
            "🦀://",
        ] {
            assert!(matches!(mask(s), std::borrow::Cow::Borrowed(_)), "{s}");
        }
    }

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
