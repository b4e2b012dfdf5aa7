//! Bytes that are not UTF-8 carried through dbsh's text, so a MySQL script is sent byte for
//! byte as the mysql client sends it (a mariadb-dump writes BLOB values raw). Each such byte
//! becomes one character of the last private-use block (U+10FF00 + byte), which no lexer
//! rule treats specially; the MySQL backend turns them back into the bytes before sending.
//! A script that itself holds characters U+10FF00..U+10FFFF would be misread there.

const BASE: u32 = 0x10FF00;

/// `bytes` as text: valid UTF-8 as it is, every other byte as its stand-in character.
pub fn decode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let bad = e.error_len().unwrap_or(after.len());
                for b in &after[..bad] {
                    out.push(char::from_u32(BASE + u32::from(*b)).unwrap_or('\u{FFFD}'));
                }
                rest = &after[bad..];
            }
        }
    }
}

/// The bytes `text` stands for, when it holds stand-in characters; `None` when it is
/// plain UTF-8 (the common case, which needs no copy).
pub fn encode(text: &str) -> Option<Vec<u8>> {
    let stand_in = |c: char| (BASE..=BASE + 0xFF).contains(&u32::from(c));
    // Every stand-in's UTF-8 starts with 0xF4: most statements are settled by a byte scan.
    if !text.as_bytes().contains(&0xF4) || !text.chars().any(stand_in) {
        return None;
    }
    let mut out = Vec::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for c in text.chars() {
        if stand_in(c) {
            out.push((u32::from(c) - BASE) as u8);
        } else {
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_bytes_round_trip_and_valid_text_is_untouched() {
        let bytes = b"insert into t values ('\x89PNG\r\n\x1a\n\x00', 'caf\xc3\xa9', '\xc3');";
        let text = decode(bytes);
        assert!(text.contains("café"));
        assert_eq!(encode(&text).as_deref(), Some(&bytes[..]));
        assert_eq!(encode("select 'café'"), None);
        assert_eq!(decode(b"plain"), "plain");
    }
}
