//! The external editor: `$VISUAL`, else `$EDITOR`, else `vi`, run through `sh -c` so that
//! editor settings with arguments (`code -w`) work.
//!
//! Two ways in, both handled by the REPL loop: a key (Ctrl-X Ctrl-E, vi `v`) edits the
//! input buffer in the scratch file below, and the `\e [FILE]` command: `\e` alone edits the
//! last statement, `\e FILE` edits that file; either way the edited text comes back into
//! the input buffer, to be read over and run with Enter (nothing runs behind your back).

use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The editor command line the user asked for, and where it came from (`$VISUAL`,
/// `$EDITOR`, or the default), for messages.
pub fn editor_command() -> (String, &'static str) {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok().map(|c| (c.trim().to_string(), *v)))
        .find(|(c, _)| !c.is_empty())
        .map_or_else(
            || {
                (
                    "vi".to_string(),
                    "the default: $VISUAL and $EDITOR are unset",
                )
            },
            |(c, v)| (c, if v == "VISUAL" { "$VISUAL" } else { "$EDITOR" }),
        )
}

/// `sh -c '<editor> "$1"' dbsh FILE`: the file is passed as an argument, never pasted
/// into the shell text.
fn command_for(file: &Path) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(format!("{} \"$1\"", editor_command().0))
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

/// Run the editor on `path` and wait for it; errors say what failed and which
/// variable named the editor. An editor that exits non-zero (vim `:cq`) means "cancel".
fn run_editor(path: &Path) -> Result<(), String> {
    let (editor, from) = editor_command();
    let status = command_for(path)
        .status()
        .map_err(|e| format!("cannot start the editor `{editor}` ({from}): {e}"))?;
    match status.code() {
        Some(0) => Ok(()),
        // The shell's "command not found" and "not executable".
        Some(127) | Some(126) => Err(format!(
            "`{editor}` ({from}) was not found or cannot run; \
             set $VISUAL or $EDITOR to your editor"
        )),
        Some(code) => Err(format!(
            "`{editor}` ({from}) exited with status {code}; the buffer is unchanged"
        )),
        None => Err(format!(
            "`{editor}` ({from}) was stopped ({status}); the buffer is unchanged"
        )),
    }
}

/// `\e FILE`: edit the file, then return its text for the input buffer.
pub fn edit_file(path: &Path) -> Result<String, String> {
    run_editor(path)?;
    std::fs::read_to_string(path)
        .map(|t| t.trim_end().to_string())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// `\e`: edit `text` in the scratch file, then return the edited text.
pub fn edit_text(text: &str, scratch: &Path) -> Result<String, String> {
    std::fs::write(scratch, text).map_err(|e| format!("{}: {e}", scratch.display()))?;
    edit_file(scratch)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake editor: a shell script with `body`.
    fn fake_editor(dir: &Path, body: &str) -> String {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("fake-editor");
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path.to_str().unwrap().to_string()
    }

    #[test]
    fn a_cancelled_or_missing_editor_leaves_the_text_and_says_why() {
        // One test: it sets process-wide environment variables.
        let s = Scratch::create().unwrap();
        let dir = s.file().parent().unwrap().to_path_buf();
        std::env::remove_var("VISUAL");
        // vim's `:cq`: writes nothing useful, exits 1.
        std::env::set_var("EDITOR", fake_editor(&dir, "echo changed > \"$1\"; exit 1"));
        let err = edit_text("select 1", &s.file()).unwrap_err();
        assert!(err.contains("($EDITOR) exited with status 1"), "{err}");
        assert!(err.contains("unchanged"), "{err}");
        std::env::set_var("VISUAL", "/no/such/editor");
        let err = edit_text("select 1", &s.file()).unwrap_err();
        assert!(
            err.contains("`/no/such/editor` ($VISUAL) was not found"),
            "{err}"
        );
        std::env::set_var("VISUAL", fake_editor(&dir, "sed -i s/1/2/ \"$1\""));
        assert_eq!(edit_text("select 1", &s.file()).unwrap(), "select 2");
        std::env::remove_var("VISUAL");
        std::env::remove_var("EDITOR");
    }

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
