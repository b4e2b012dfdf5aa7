//! Output control: `\x`, `\T`, `\pset`, `\timing`, `\W`/`\w`, `\pager`, `\o`, plus `\i`, `\echo` and
//! `\!`. Each changes the session's settings and says what it set.

use super::{unquote, usage};
use crate::render::Format;
use crate::shell::{RunError, Session};

pub(super) fn expanded(session: &mut Session, arg: &str) -> Result<(), RunError> {
    match arg {
        "" => {
            let on = if session.settings().format.is_human() {
                session.settings().format != Format::Vertical
            } else {
                !session.settings().expanded
            };
            set_vertical(session, on);
            let state = if on { "on" } else { "off" };
            session.status(&format!("Expanded display is {state}."))
        }
        "on" | "off" => {
            set_vertical(session, arg == "on");
            session.status(&format!("Expanded display is {arg}."))
        }
        "auto" => {
            session.settings_mut().expanded_auto = true;
            if session.settings().format == Format::Vertical {
                session.settings_mut().format = Format::Table;
            }
            session.status("Expanded display is used automatically.")
        }
        _ => usage("\\x"),
    }
}

/// `\x on|off`: vertical tables; under CSV/TSV/JSON the format stays and its expanded
/// form is used (CSV: `name,value` lines), so a script's output stays parseable.
fn set_vertical(session: &mut Session, on: bool) {
    session.settings_mut().expanded_auto = false;
    if !session.settings().format.is_human() {
        session.settings_mut().expanded = on;
        return;
    }
    session.settings_mut().format = if on { Format::Vertical } else { Format::Table };
}

pub(super) fn format(session: &mut Session, command: &str, arg: &str) -> Result<(), RunError> {
    if arg.is_empty() {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        let current = session.settings().format.name();
        return session.print(&format!(
            "Output format is {current}. Available: {}",
            names.join(", ")
        ));
    }
    match Format::parse(arg) {
        Some(f) => {
            session.settings_mut().format = f;
            session.settings_mut().expanded_auto = false;
            session.status(&format!("Output format is {}.", f.name()))
        }
        None => {
            eprintln!("{command}: unknown format '{arg}'");
            usage(command)
        }
    }
}

pub(super) fn pset(session: &mut Session, arg: &str) -> Result<(), RunError> {
    let (what, value) = match arg.find(char::is_whitespace) {
        Some(i) => (&arg[..i], arg[i..].trim()),
        None => (arg, ""),
    };
    match what {
        "null" => {
            session.settings_mut().null = unquote(value).to_string();
            session.settings_mut().csv_null = Some(session.settings().null.clone());
            session.status(&format!("Null display is \"{}\".", session.settings().null))
        }
        // psql's names for the table format.
        "format" if matches!(value, "aligned" | "wrapped") => format(session, "\\pset", "table"),
        "format" if !value.is_empty() => format(session, "\\pset", value),
        "expanded" | "x" => expanded(session, value),
        "border" => {
            let style = session.settings().style;
            let border = match value {
                "" => style.border(),
                v => match v.parse::<u8>() {
                    Ok(n) => n.min(2),
                    Err(_) => return usage("\\pset"),
                },
            };
            session.settings_mut().style = style.with_border(border);
            session.status(&format!("Border style is {border}."))
        }
        "linestyle" => {
            use crate::render::table::Style;
            let style = session.settings().style;
            session.settings_mut().style = match value {
                "" => style,
                "ascii" | "old-ascii" if style.border() == 2 => Style::Ascii,
                "unicode" if style.border() == 2 => Style::Unicode,
                "ascii" | "old-ascii" => style,
                "unicode" => {
                    eprintln!("\\pset: dbsh draws unicode lines only with border 2");
                    return Err(RunError::Failed);
                }
                _ => return usage("\\pset"),
            };
            let line = match session.settings().style {
                Style::Unicode | Style::Rounded => "unicode",
                _ => "ascii",
            };
            session.status(&format!("Line style is {line}."))
        }
        _ => usage("\\pset"),
    }
}

pub(super) fn timing(session: &mut Session, arg: &str) -> Result<(), RunError> {
    let on = match arg {
        "" => !session.settings().timing,
        "on" => true,
        "off" => false,
        _ => return usage("\\timing"),
    };
    session.settings_mut().timing = on;
    session.status(&format!("Timing is {}.", if on { "on" } else { "off" }))
}

/// `\W` / `\w`: the mysql client's switch for printing warnings after every statement.
pub(super) fn show_warnings(session: &mut Session, on: bool) -> Result<(), RunError> {
    session.set_show_warnings(on);
    let state = if on { "enabled" } else { "disabled" };
    session.status(&format!("Show warnings {state}."))
}

pub(super) fn pager(session: &mut Session, arg: &str) -> Result<(), RunError> {
    let pager = match arg {
        "" | "on" => Some(crate::render::pager::command(None)),
        "off" => None,
        cmd => Some(unquote(cmd).to_string()),
    };
    session.set_pager(pager);
    let state = match session.pager() {
        Some(cmd) => format!("Pager is used for long output: {cmd}"),
        None => "Pager usage is off.".into(),
    };
    session.status(&state)
}

pub(super) fn out(session: &mut Session, arg: &str) -> Result<(), RunError> {
    let path = (!arg.is_empty()).then(|| unquote(arg));
    session.set_output_file(path).map_err(|e| {
        eprintln!("\\o: {}: {e}", path.unwrap_or_default());
        RunError::Failed
    })
}

/// `\i FILE`: the path, for the flow to run (it alone runs input).
pub(super) fn include_path(arg: &str) -> Result<String, RunError> {
    if arg.is_empty() {
        usage("\\i")?;
    }
    Ok(unquote(arg).to_string())
}

pub(super) fn shell(arg: &str) -> Result<(), RunError> {
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(if arg.is_empty() { "${SHELL:-sh}" } else { arg })
        .status();
    match status {
        Ok(_) => Ok(()),
        Err(e) => {
            eprintln!("\\!: {e}");
            Err(RunError::Failed)
        }
    }
}
