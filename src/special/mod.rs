//! Commands that are not SQL: psql-style backslash commands (and SQLite dot commands).
//!
//! Each command is a row in `COMMANDS` (name, usage, description) so that `\?`, the
//! completer and the usage errors share one source of truth.

use std::future::Future;
use std::pin::Pin;

use crate::render::Format;
use crate::session::{RunError, Session};

pub struct CommandHelp {
    pub name: &'static str,
    pub usage: &'static str,
    pub description: &'static str,
}

pub const COMMANDS: &[CommandHelp] = &[
    CommandHelp {
        name: "\\?",
        usage: "\\? [command]",
        description: "list commands, or explain one",
    },
    CommandHelp {
        name: "\\q",
        usage: "\\q",
        description: "quit (also quit, exit, Ctrl-D)",
    },
    CommandHelp {
        name: "\\x",
        usage: "\\x [on|off|auto]",
        description: "vertical output: toggle, or set",
    },
    CommandHelp {
        name: "\\T",
        usage: "\\T [format]",
        description: "show or set the output format (table vertical csv tsv json jsonl markdown)",
    },
    CommandHelp {
        name: "\\timing",
        usage: "\\timing [on|off]",
        description: "show each statement's time",
    },
    CommandHelp {
        name: "\\pset",
        usage: "\\pset null TEXT",
        description: "how NULL is shown",
    },
    CommandHelp {
        name: "\\pager",
        usage: "\\pager [on|off|COMMAND]",
        description: "page long results (default less -SRXF)",
    },
    CommandHelp {
        name: "\\o",
        usage: "\\o [file]",
        description: "send results to a file, or back to the screen",
    },
    CommandHelp {
        name: "\\i",
        usage: "\\i file",
        description: "run a script",
    },
    CommandHelp {
        name: "\\echo",
        usage: "\\echo text",
        description: "print text",
    },
    CommandHelp {
        name: "\\!",
        usage: "\\! command",
        description: "run a shell command",
    },
    CommandHelp {
        name: "\\conninfo",
        usage: "\\conninfo",
        description: "show what this session is connected to",
    },
];

type Fut<'a> = Pin<Box<dyn Future<Output = Result<(), RunError>> + 'a>>;

/// Run one command line (`\x on`, `.tables`). Boxed because `\i` runs scripts, which may
/// run commands again.
pub fn run<'a>(session: &'a mut Session, line: &'a str) -> Fut<'a> {
    Box::pin(async move {
        let line = line.trim();
        let (name, arg) = match line.find(char::is_whitespace) {
            Some(i) => (&line[..i], line[i..].trim()),
            None => (line, ""),
        };
        match name {
            "\\q" | "\\quit" => Err(RunError::Quit),
            "\\?" | "\\h" | "\\help" => help(session, arg),
            "\\x" => match arg {
                "" => {
                    let on = session.settings.format != Format::Vertical;
                    set_vertical(session, on);
                    let state = if on { "on" } else { "off" };
                    session.print(&format!("Expanded display is {state}."))
                }
                "on" | "off" => {
                    set_vertical(session, arg == "on");
                    session.print(&format!("Expanded display is {arg}."))
                }
                "auto" => {
                    session.settings.expanded_auto = true;
                    if session.settings.format == Format::Vertical {
                        session.settings.format = Format::Table;
                    }
                    session.print("Expanded display is used automatically.")
                }
                _ => usage("\\x"),
            },
            "\\T" => {
                if arg.is_empty() {
                    let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                    let current = session.settings.format.name();
                    return session.print(&format!(
                        "Output format is {current}. Available: {}",
                        names.join(", ")
                    ));
                }
                match Format::parse(arg) {
                    Some(f) => {
                        session.settings.format = f;
                        session.settings.expanded_auto = false;
                        session.print(&format!("Output format is {}.", f.name()))
                    }
                    None => {
                        eprintln!("\\T: unknown format '{arg}'");
                        usage("\\T")
                    }
                }
            }
            "\\timing" => {
                let on = match arg {
                    "" => !session.settings.timing,
                    "on" => true,
                    "off" => false,
                    _ => return usage("\\timing"),
                };
                session.settings.timing = on;
                session.print(&format!("Timing is {}.", if on { "on" } else { "off" }))
            }
            "\\pset" => {
                let (what, value) = match arg.find(char::is_whitespace) {
                    Some(i) => (&arg[..i], arg[i..].trim()),
                    None => (arg, ""),
                };
                if what != "null" {
                    return usage("\\pset");
                }
                session.settings.null = unquote(value).to_string();
                session.print(&format!("Null display is \"{}\".", session.settings.null))
            }
            "\\pager" => {
                match arg {
                    "" | "on" => {
                        session.pager = Some(crate::render::pager::command(None));
                    }
                    "off" => session.pager = None,
                    cmd => session.pager = Some(cmd.to_string()),
                }
                let state = match &session.pager {
                    Some(cmd) => format!("Pager is used for long output: {cmd}"),
                    None => "Pager usage is off.".into(),
                };
                session.print(&state)
            }
            "\\o" | "\\out" => {
                let path = (!arg.is_empty()).then(|| unquote(arg));
                session.set_output_file(path).map_err(|e| {
                    eprintln!("\\o: {}: {e}", path.unwrap_or_default());
                    RunError::Failed
                })
            }
            "\\i" | "\\include" => {
                if arg.is_empty() {
                    return usage("\\i");
                }
                let path = unquote(arg);
                let text = crate::script::read_script(std::path::Path::new(path)).map_err(|e| {
                    eprintln!("\\i: {e}");
                    RunError::Failed
                })?;
                let saved = session.source.replace((path.to_string(), 1));
                let r = session.run_text(&text, false).await;
                session.source = saved;
                r
            }
            "\\echo" => session.print(arg),
            "\\!" => {
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
            "\\conninfo" => {
                let info = session.conn.info();
                let backend = session.conn.backend().name();
                let text = if info.host.is_empty() {
                    format!(
                        "You are connected to {backend} database \"{}\".",
                        info.database
                    )
                } else {
                    format!(
                        "You are connected to {backend} database \"{}\" as user \"{}\" on host \"{}\"{}.",
                        info.database,
                        info.user,
                        info.host,
                        info.port.map(|p| format!(" at port \"{p}\"")).unwrap_or_default()
                    )
                };
                session.print(&text)
            }
            _ => {
                eprintln!("invalid command {name}; try \\? for help");
                Err(RunError::Failed)
            }
        }
    })
}

fn set_vertical(session: &mut Session, on: bool) {
    session.settings.expanded_auto = false;
    session.settings.format = if on { Format::Vertical } else { Format::Table };
}

fn usage(name: &str) -> Result<(), RunError> {
    if let Some(c) = COMMANDS.iter().find(|c| c.name == name) {
        eprintln!("usage: {}", c.usage);
    }
    Err(RunError::Failed)
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['\'', '"'] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

fn help(session: &mut Session, arg: &str) -> Result<(), RunError> {
    if !arg.is_empty() {
        let want = if arg.starts_with('\\') {
            arg.to_string()
        } else {
            format!("\\{arg}")
        };
        return match COMMANDS.iter().find(|c| c.name == want) {
            Some(c) => session.print(&format!("{}\n    {}", c.usage, c.description)),
            None => {
                eprintln!("no such command: {arg}");
                Err(RunError::Failed)
            }
        };
    }
    let width = COMMANDS.iter().map(|c| c.usage.len()).max().unwrap_or(0);
    let mut text = String::new();
    for c in COMMANDS {
        text.push_str(&format!("{:width$}  {}\n", c.usage, c.description));
    }
    session.print(text.trim_end())
}
