//! Reading scripts (`-f`, `\i`, piped stdin): whole, as UTF-8, with a precise error
//! (byte offset and line) when they are not.

use std::io::Read;
use std::path::Path;

/// Read a script file; the error names the file and says what was wrong.
pub fn read_script(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    decode(bytes).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn read_stdin() -> Result<String, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("standard input: {e}"))?;
    decode(bytes).map_err(|e| format!("standard input: {e}"))
}

/// UTF-8 text from `bytes`, or where it stops being UTF-8.
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        format!("invalid UTF-8 at byte {at} (line {line}); nothing was run")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located() {
        let err = decode(b"select 1;\nselect '\xff';".to_vec()).unwrap_err();
        assert_eq!(err, "invalid UTF-8 at byte 18 (line 2); nothing was run");
        assert_eq!(decode(b"ok".to_vec()).unwrap(), "ok");
    }
}
