//! The external editor: `$VISUAL`, else `$EDITOR`, else `vi`, run through `sh -c` so that
//! editor settings with arguments (`code -w`) work.
//!
//! Two ways in: a key (Ctrl-X Ctrl-E, vi `v`), which reedline handles with the temp file
//! below, and the `\e [FILE]` command, handled by the REPL loop: `\e` alone edits the
//! last statement, `\e FILE` edits that file; either way the edited text comes back into
//! the input buffer, to be read over and run with Enter (nothing runs behind your back).

use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The editor command line the user asked for.
pub fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// `sh -c '<editor> "$1"' dbsh FILE`: the file is passed as an argument, never pasted
/// into the shell text.
pub fn command_for(file: &Path) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(format!("{} \"$1\"", editor_command()))
        .arg("dbsh-editor")
        .arg(file);
    c
}

/// A private directory (mode 0700) for the buffer being edited, removed on drop: the
/// buffer may hold anything, and a fixed name in /tmp could be pre-created by others.
pub struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    pub fn create() -> std::io::Result<Scratch> {
        let base = std::env::temp_dir();
        let pid = std::process::id();
        let mut last = None;
        for attempt in 0..16u32 {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let dir = base.join(format!("dbsh-{pid}-{nanos:x}{attempt}"));
            match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
                Ok(()) => return Ok(Scratch { dir }),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| std::io::Error::other("no scratch directory")))
    }

    /// The file the buffer is edited in (`.sql`, so editors highlight it).
    pub fn file(&self) -> PathBuf {
        self.dir.join("statement.sql")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A `\e` line: `None` when `line` is not one (e.g. `\echo`), else the file, if any.
pub fn parse_edit_command(line: &str) -> Option<Option<String>> {
    let rest = line.trim().strip_prefix("\\e")?;
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let arg = rest.trim();
    let arg = arg
        .strip_prefix('\'')
        .and_then(|a| a.strip_suffix('\''))
        .unwrap_or(arg);
    Some((!arg.is_empty()).then(|| arg.to_string()))
}

/// Run the editor on `path` and wait for it; errors say what failed.
fn run_editor(path: &Path) -> Result<(), String> {
    let editor = editor_command();
    let status = command_for(path)
        .status()
        .map_err(|e| format!("\\e: cannot start the editor ({editor}): {e}"))?;
    if !status.success() {
        return Err(format!(
            "\\e: the editor ({editor}) exited with {status}; the buffer is unchanged"
        ));
    }
    Ok(())
}

/// `\e FILE`: edit the file, then return its text for the input buffer.
pub fn edit_file(path: &Path) -> Result<String, String> {
    run_editor(path)?;
    std::fs::read_to_string(path)
        .map(|t| t.trim_end().to_string())
        .map_err(|e| format!("\\e: {}: {e}", path.display()))
}

/// `\e`: edit `text` in the scratch file, then return the edited text.
pub fn edit_text(text: &str, scratch: &Path) -> Result<String, String> {
    std::fs::write(scratch, text).map_err(|e| format!("\\e: {}: {e}", scratch.display()))?;
    edit_file(scratch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_commands() {
        assert_eq!(parse_edit_command("\\e"), Some(None));
        assert_eq!(parse_edit_command("  \\e  \n"), Some(None));
        assert_eq!(
            parse_edit_command("\\e q.sql"),
            Some(Some("q.sql".to_string()))
        );
        assert_eq!(
            parse_edit_command("\\e 'my file.sql'"),
            Some(Some("my file.sql".to_string()))
        );
        assert_eq!(parse_edit_command("\\echo hi"), None);
        assert_eq!(parse_edit_command("select 1"), None);
    }

    #[test]
    fn scratch_is_private_and_removed() {
        use std::os::unix::fs::PermissionsExt;
        let s = Scratch::create().unwrap();
        let dir = s.file().parent().unwrap().to_path_buf();
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        drop(s);
        assert!(!dir.exists());
    }
}
