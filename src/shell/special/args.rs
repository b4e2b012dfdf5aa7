//! Backslash-command arguments read as psql reads them: words split at blanks;
//! `'single quoted'` with `''` and backslash escapes (`\n`, `\t`, octal, `\xHH`);
//! `"double quoted"` kept with its quotes; `` `cmd` `` replaced by the command's output;
//! `:name`, `:'name'`, `:"name"` replaced by the variable (quoted as a literal or an
//! identifier). One tokenizer for every command.

/// The arguments of `line` (the text after the command name).
pub fn split(line: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut args = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let mut arg = String::new();
        while i < chars.len() && !chars[i].is_whitespace() {
            match chars[i] {
                '\'' => i = single_quoted(&chars, i + 1, &mut arg),
                '"' => {
                    let start = i;
                    i += 1;
                    while i < chars.len() {
                        if chars[i] == '"' {
                            if chars.get(i + 1) == Some(&'"') {
                                i += 2;
                                continue;
                            }
                            i += 1;
                            break;
                        }
                        i += 1;
                    }
                    arg.extend(&chars[start..i]);
                }
                '`' => {
                    let start = i + 1;
                    let end = (start..chars.len()).find(|&j| chars[j] == '`');
                    let cmd: String = chars[start..end.unwrap_or(chars.len())].iter().collect();
                    arg.push_str(&shell_output(&cmd));
                    i = end.map_or(chars.len(), |e| e + 1);
                }
                ':' => i = variable(&chars, i, lookup, &mut arg),
                c => {
                    arg.push(c);
                    i += 1;
                }
            }
        }
        args.push(arg);
    }
    args
}

/// Read a `'…'` body from `i` (after the quote) into `out`; returns the index after it.
fn single_quoted(chars: &[char], mut i: usize, out: &mut String) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\'' if chars.get(i + 1) == Some(&'\'') => {
                out.push('\'');
                i += 2;
            }
            '\'' => return i + 1,
            '\\' if i + 1 < chars.len() => {
                i += 1;
                let c = chars[i];
                i += 1;
                match c {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'b' => out.push('\u{8}'),
                    'r' => out.push('\r'),
                    'f' => out.push('\u{c}'),
                    '0'..='7' => {
                        let mut v = c.to_digit(8).unwrap_or(0);
                        for _ in 0..2 {
                            match chars.get(i).and_then(|d| d.to_digit(8)) {
                                Some(d) => {
                                    v = v * 8 + d;
                                    i += 1;
                                }
                                None => break,
                            }
                        }
                        out.extend(char::from_u32(v));
                    }
                    'x' => {
                        let mut v = 0;
                        let mut n = 0;
                        while n < 2 {
                            match chars.get(i).and_then(|d| d.to_digit(16)) {
                                Some(d) => {
                                    v = v * 16 + d;
                                    i += 1;
                                    n += 1;
                                }
                                None => break,
                            }
                        }
                        out.extend(char::from_u32(v));
                    }
                    other => out.push(other),
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    i
}

/// `:name`, `:'name'` or `:"name"` at `i`; an unknown or malformed one stays as written.
fn variable(
    chars: &[char],
    i: usize,
    lookup: &dyn Fn(&str) -> Option<String>,
    out: &mut String,
) -> usize {
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    // `:{?name}`: whether the variable is set.
    if chars.get(i + 1) == Some(&'{') && chars.get(i + 2) == Some(&'?') {
        let start = i + 3;
        let mut end = start;
        while end < chars.len() && is_name(chars[end]) {
            end += 1;
        }
        if end > start && chars.get(end) == Some(&'}') {
            let name: String = chars[start..end].iter().collect();
            out.push_str(if lookup(&name).is_some() {
                "TRUE"
            } else {
                "FALSE"
            });
            return end + 1;
        }
    }
    let quote = chars
        .get(i + 1)
        .copied()
        .filter(|c| *c == '\'' || *c == '"');
    let start = i + 1 + usize::from(quote.is_some());
    let mut end = start;
    while end < chars.len() && is_name(chars[end]) {
        end += 1;
    }
    let name: String = chars[start..end].iter().collect();
    let closed = quote.is_none_or(|q| chars.get(end) == Some(&q));
    let value = (!name.is_empty() && closed)
        .then(|| lookup(&name))
        .flatten();
    match (value, quote) {
        (Some(v), None) => {
            out.push_str(&v);
            end
        }
        (Some(v), Some('\'')) => {
            out.push_str(&crate::shell::state::vars::quote_literal(&v));
            end + 1
        }
        (Some(v), Some(_)) => {
            out.push_str(&crate::shell::state::vars::quote_ident(&v));
            end + 1
        }
        (None, _) => {
            out.push(':');
            i + 1
        }
    }
}

/// The output of a backquoted shell command, without its final newline (as psql).
fn shell_output(cmd: &str) -> String {
    match std::process::Command::new("sh").arg("-c").arg(cmd).output() {
        Ok(o) => {
            let mut s = String::from_utf8_lossy(&o.stdout).into_owned();
            if s.ends_with('\n') {
                s.pop();
            }
            s
        }
        Err(e) => {
            eprintln!("`{cmd}`: {e}");
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        let look = |n: &str| match n {
            "v" => Some("x y".to_string()),
            "q" => Some("it's".to_string()),
            _ => None,
        };
        split(line, &look)
    }

    #[test]
    fn quotes_join_and_escape_as_in_psql() {
        assert_eq!(args("'x y'"), ["x y"]);
        assert_eq!(args("q 'O''Brien'"), ["q", "O'Brien"]);
        assert_eq!(args("a'b c'd  e"), ["ab cd", "e"]);
        assert_eq!(args(r"'tab\there' '\101'"), ["tab\there", "A"]);
        assert_eq!(args("\"Mixed Case\""), ["\"Mixed Case\""]);
        assert!(args("   ").is_empty());
    }

    #[test]
    fn variables_are_replaced_and_quoted() {
        assert_eq!(args(":v"), ["x y"]);
        assert_eq!(args(":{?v} :{?nope}"), ["TRUE", "FALSE"]);
        assert_eq!(
            args(":'q' :\"v\" :nope ::"),
            ["'it''s'", "\"x y\"", ":nope", "::"]
        );
    }

    #[test]
    fn backquotes_run_the_shell() {
        assert_eq!(args("`echo hi`x"), ["hix"]);
    }
}
