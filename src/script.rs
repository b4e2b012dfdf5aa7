//! Reading scripts (`-f`, `\i`, piped stdin) a line at a time (`ScriptInput`), so that a
//! script of any size runs in bounded memory, as UTF-8 with a precise error (byte offset and
//! line) where it is not.

use std::io::BufRead;
use std::path::Path;

/// A script read a line at a time, counting lines and bytes for error positions.
pub struct ScriptInput {
    reader: Box<dyn BufRead + Send>,
    /// Lines read so far.
    pub line: usize,
    byte: usize,
    /// The lines that follow are COPY data, up to a `\.` line.
    pub copy_pending: bool,
    /// Bytes that are not UTF-8 are kept (as `rawbytes` stand-ins) instead of refused:
    /// for MySQL, whose dumps hold BLOB values raw.
    pub raw_bytes: bool,
}

/// The line that ends COPY data.
pub fn is_end_of_copy(line: &str) -> bool {
    line.trim_end_matches(['\r', '\n']) == "\\."
}

impl ScriptInput {
    pub fn new(reader: Box<dyn BufRead + Send>) -> ScriptInput {
        ScriptInput {
            reader,
            line: 0,
            byte: 0,
            copy_pending: false,
            raw_bytes: false,
        }
    }

    /// An input with nothing in it (a placeholder while the real one is lent out).
    pub fn empty() -> ScriptInput {
        ScriptInput::new(Box::new(std::io::empty()))
    }

    /// Skip the rest of a COPY data block, up to its `\.` line or the end.
    pub fn skip_copy_data(&mut self) {
        while self.copy_pending {
            match self.next_line() {
                Ok(Some(l)) if !is_end_of_copy(&l) => {}
                _ => self.copy_pending = false,
            }
        }
    }

    /// The next line with its newline, `None` at the end; an error says where the text
    /// stops being UTF-8 (or why it could not be read).
    pub fn next_line(&mut self) -> Result<Option<String>, String> {
        let mut bytes = Vec::new();
        let n = self
            .reader
            .read_until(b'\n', &mut bytes)
            .map_err(|e| e.to_string())?;
        if n == 0 {
            return Ok(None);
        }
        self.line += 1;
        let start = self.byte;
        self.byte += n;
        match String::from_utf8(bytes) {
            Ok(s) => Ok(Some(s)),
            Err(e) if self.raw_bytes => Ok(Some(crate::rawbytes::decode(e.as_bytes()))),
            Err(e) => {
                let at = start + e.utf8_error().valid_up_to();
                Err(format!("invalid UTF-8 at byte {at} (line {})", self.line))
            }
        }
    }
}

/// Open a script file to run. Unless `raw_bytes` (MySQL), it is checked to be UTF-8 first,
/// so that a bad byte stops it before anything runs.
pub fn open(path: &Path, raw_bytes: bool) -> Result<ScriptInput, String> {
    if !raw_bytes {
        check_utf8(path)?;
    }
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut input = ScriptInput::new(Box::new(std::io::BufReader::with_capacity(1 << 16, file)));
    input.raw_bytes = raw_bytes;
    Ok(input)
}

/// Check that a script file is UTF-8 before any of it runs, reading it in pieces.
fn check_utf8(path: &Path) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut input = ScriptInput::new(Box::new(std::io::BufReader::with_capacity(1 << 16, file)));
    loop {
        match input.next_line() {
            Ok(Some(_)) => {}
            Ok(None) => return Ok(()),
            Err(e) => return Err(format!("{}: {e}; nothing was run", path.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_come_one_at_a_time_and_bad_bytes_are_located() {
        let mut input = ScriptInput::new(Box::new(&b"select 1;\nselect '\xff';\n"[..]));
        assert_eq!(input.next_line().unwrap().as_deref(), Some("select 1;\n"));
        assert_eq!(
            input.next_line().unwrap_err(),
            "invalid UTF-8 at byte 18 (line 2)"
        );
        let mut input = ScriptInput::new(Box::new(&b"a\nb"[..]));
        assert_eq!(input.next_line().unwrap().as_deref(), Some("a\n"));
        assert_eq!(input.next_line().unwrap().as_deref(), Some("b"));
        assert_eq!(input.next_line().unwrap(), None);
        assert_eq!(input.line, 2);
    }
}
