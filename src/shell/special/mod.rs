//! Commands that are not SQL: psql-style backslash commands (and SQLite dot commands).
//!
//! Each command is a row in `COMMANDS` (name, usage, description) so that `\?`, the
//! completer and the usage errors share one source of truth. This file holds the table
//! and the dispatcher; each family of commands lives in its own file.
//!
//! The shell's middle layer: commands use the session and the catalog and print; they
//! never run input themselves (`\i`, `\n`, `\g` alone return a [`Then`] for the flow).

pub mod args;
mod client;

pub use client::mysql_word;
mod connect;
mod copy;
mod copy_rows;
mod describe;
mod dot;
mod list;
mod mysql;
mod named;
mod output;
mod password;
pub mod pattern;
mod postgres;
mod rows;
mod sqlite;
mod syntax;
mod vars;
mod watch;

use std::future::Future;
use std::pin::Pin;

use crate::shell::{RunError, Session};

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
        name: "\\d",
        usage: "\\d[+] [pattern]",
        description: "list tables, views and sequences; with a name, describe it (columns, indexes, constraints, foreign keys, view definition)",
    },
    CommandHelp {
        name: "\\dt",
        usage: "\\dt[+] [pattern]",
        description: "list tables",
    },
    CommandHelp {
        name: "\\dv",
        usage: "\\dv[+] [pattern]",
        description: "list views",
    },
    CommandHelp {
        name: "\\dm",
        usage: "\\dm[+] [pattern]",
        description: "list materialized views (PostgreSQL)",
    },
    CommandHelp {
        name: "\\di",
        usage: "\\di[+] [pattern]",
        description: "list indexes",
    },
    CommandHelp {
        name: "\\ds",
        usage: "\\ds[+] [pattern]",
        description: "list sequences (PostgreSQL, MariaDB)",
    },
    CommandHelp {
        name: "\\dn",
        usage: "\\dn[+] [pattern]",
        description: "list schemas (MySQL: databases; SQLite: attached databases)",
    },
    CommandHelp {
        name: "\\df",
        usage: "\\df[+] [pattern]",
        description: "list functions",
    },
    CommandHelp {
        name: "\\dT",
        usage: "\\dT[+] [pattern]",
        description: "list data types (PostgreSQL)",
    },
    CommandHelp {
        name: "\\du",
        usage: "\\du[+] [pattern]",
        description: "list roles (PostgreSQL, MySQL)",
    },
    CommandHelp {
        name: "\\l",
        usage: "\\l[+] [pattern]",
        description: "list databases (SQLite: attached databases)",
    },
    CommandHelp {
        name: "\\dx",
        usage: "\\dx [pattern]",
        description: "list extensions (PostgreSQL)",
    },
    CommandHelp {
        name: "\\x",
        usage: "\\x [on|off|auto]",
        description: "vertical output: toggle, or set; auto: vertical when a table is wider than the terminal",
    },
    CommandHelp {
        name: "\\T",
        usage: "\\T [format]",
        description: "show or set the output format (table vertical csv tsv json jsonl markdown)",
    },
    CommandHelp {
        name: "\\pset",
        usage: "\\pset null TEXT | format NAME | expanded [on|off|auto] | border 0|1|2 | linestyle ascii|unicode",
        description: "how NULL is shown; the output format",
    },
    CommandHelp {
        name: "\\W",
        usage: "\\W",
        description: "MySQL: show each statement's warnings after it (\\w: stop)",
    },
    CommandHelp {
        name: "\\timing",
        usage: "\\timing [on|off]",
        description: "show each statement's time",
    },
    CommandHelp {
        name: "\\pager",
        usage: "\\pager [on|off|COMMAND]",
        description: "page long results (default $PAGER, or less -SRXF)",
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
        name: "\\qecho",
        usage: "\\qecho text",
        description: "print text to the query output (the \\o file)",
    },
    CommandHelp {
        name: "\\warn",
        usage: "\\warn text",
        description: "print text to standard error",
    },
    CommandHelp {
        name: "\\set",
        usage: "\\set [name [value]]",
        description: "set a variable (used as :name, :'name', :\"name\" in SQL), or list them",
    },
    CommandHelp {
        name: "\\unset",
        usage: "\\unset name",
        description: "remove a variable",
    },
    CommandHelp {
        name: "\\getenv",
        usage: "\\getenv name ENVVAR",
        description: "set a variable from the environment",
    },
    CommandHelp {
        name: "\\if",
        usage: "\\if expr",
        description: "run what follows only when expr is true (\\elif expr, \\else, \\endif)",
    },
    CommandHelp {
        name: "\\gset",
        usage: "\\gset [prefix]",
        description: "end a query: store its one row in variables named after the columns",
    },
    CommandHelp {
        name: "\\gexec",
        usage: "\\gexec",
        description: "end a query: run each value of its result as a statement",
    },
    CommandHelp {
        name: "\\g",
        usage: "\\g [file|\\|command]",
        description: "end a query: run it, its result to a file or a command (\\gx: vertically)",
    },
    CommandHelp {
        name: "\\h",
        usage: "\\h [statement]",
        description: "brief SQL syntax of a statement for this database",
    },
    CommandHelp {
        name: "\\sf",
        usage: "\\sf name",
        description: "show a function's source (\\sv: a view's)",
    },
    CommandHelp {
        name: "\\sv",
        usage: "\\sv name",
        description: "show a view's definition",
    },
    CommandHelp {
        name: "\\dp",
        usage: "\\dp [pattern]",
        description: "list table privileges (PostgreSQL; MySQL: SHOW GRANTS)",
    },
    CommandHelp {
        name: "\\s",
        usage: "\\s",
        description: "show the history (MySQL: connection status, as the mysql client)",
    },
    CommandHelp {
        name: "\\u",
        usage: "\\u db",
        description: "MySQL: use another database (\\. FILE runs a script, as \\i)",
    },
    CommandHelp {
        name: "\\copy",
        usage: "\\copy table [(cols)] from 'file' | {table | (query)} to 'file' [with (format csv, header, …)]",
        description: "import or export a file through this client (all backends; one transaction per import)",
    },
    CommandHelp {
        name: "\\errverbose",
        usage: "\\errverbose",
        description: "show the last error again in full",
    },
    CommandHelp {
        name: "\\restrict",
        usage: "\\restrict KEY",
        description: "allow no other backslash command until \\unrestrict KEY (pg_dump output)",
    },
    CommandHelp {
        name: "\\!",
        usage: "\\! [command]",
        description: "run a shell command",
    },
    CommandHelp {
        name: "\\password",
        usage: "\\password [USER]",
        description: "change a PostgreSQL user's password (asked twice, sent only as its hash)",
    },
    CommandHelp {
        name: "\\conninfo",
        usage: "\\conninfo",
        description: "show what this session is connected to",
    },
    CommandHelp {
        name: "\\c",
        usage: "\\c[onnect] [database | URL | file]",
        description: "connect to another database or server, keeping the settings",
    },
    CommandHelp {
        name: "\\refresh",
        usage: "\\refresh",
        description: "reload the schema names that completion offers (in the background)",
    },
    CommandHelp {
        name: "\\e",
        usage: "\\e [file]",
        description: "edit the last statement (or a file) in $VISUAL / $EDITOR; at the prompt only",
    },
    CommandHelp {
        name: "\\watch",
        usage: "\\watch [seconds]",
        description: "run the last query again every N seconds (default 2) until Ctrl-C",
    },
    CommandHelp {
        name: "\\n",
        usage: "\\n [name [args...]]",
        description: "list named queries, or run one with $1...$n and $* replaced by the arguments",
    },
    CommandHelp {
        name: "\\ns",
        usage: "\\ns name query",
        description: "save a named query",
    },
    CommandHelp {
        name: "\\nd",
        usage: "\\nd name",
        description: "delete a named query",
    },
    CommandHelp {
        name: ".tables",
        usage: ".tables [pattern]",
        description: "SQLite: list tables and views",
    },
    CommandHelp {
        name: ".schema",
        usage: ".schema [pattern]",
        description: "SQLite: show CREATE statements",
    },
    CommandHelp {
        name: ".indexes",
        usage: ".indexes [table]",
        description: "SQLite: list indexes",
    },
    CommandHelp {
        name: ".databases",
        usage: ".databases",
        description: "SQLite: list attached databases",
    },
];

/// What a command leaves to the flow that ran it (psql's "send the query buffer",
/// "process this file"): a command never runs input itself, so there is no arrow from
/// here back to `flow`.
#[derive(Debug, PartialEq, Eq)]
pub enum Then {
    Done,
    /// `\g`, `\gx`, `\gset`, `\gexec` on a line of their own: the previous statement
    /// again, with this command as its ending.
    RunLast(String),
    /// `\i FILE`, `\. FILE`, MySQL's `source FILE`: run the script at this path.
    Include(String),
    /// `\n name args`: run this text as if typed.
    Run(String),
}

type Fut<'a> = Pin<Box<dyn Future<Output = Result<Then, RunError>> + 'a>>;

/// Run one command line (`\x on`, `.tables`). Boxed so that the flow's future, which
/// holds it, stays small.
pub fn run<'a>(session: &'a mut Session, line: &'a str) -> Fut<'a> {
    Box::pin(async move {
        let line = line.trim();
        let (name, arg) = match line.find(char::is_whitespace) {
            Some(i) => (&line[..i], line[i..].trim()),
            None => (line, ""),
        };
        if name.starts_with('.') {
            return dot::run(session, name, arg).await.map(|()| Then::Done);
        }
        match name {
            "\\." | "\\source" | "\\i" | "\\include" => {
                return output::include_path(arg).map(Then::Include)
            }
            "\\g" | "\\gx" | "\\gset" | "\\gexec" => return Ok(Then::RunLast(line.to_string())),
            "\\n" => return named::run_query(session, arg).await,
            _ => {}
        }
        let done = match name {
            "\\q" | "\\quit" => Err(RunError::Quit),
            "\\?" => help(session, arg),
            "\\h" | "\\help" => client::syntax_help(session, arg),
            "\\sf" | "\\sf+" => client::source(session, false, arg).await,
            "\\sv" | "\\sv+" => client::source(session, true, arg).await,
            "\\dp" | "\\z" => client::privileges(session, arg).await,
            "\\s" if session.backend() == crate::db::Backend::Mysql => {
                client::status(session).await
            }
            "\\s" => client::history(session),
            "\\status" => client::status(session).await,
            "\\u" | "\\use" if session.backend() == crate::db::Backend::Mysql => {
                let db = args::split(arg, &|_| None).concat();
                let sql = format!("USE `{}`", db.replace('`', "``"));
                session.run_sql(&sql, false, &sql, 0).await
            }
            "\\d" | "\\d+" if !arg.is_empty() => describe::run(session, name == "\\d+", arg).await,
            "\\x" => output::expanded(session, arg),
            "\\T" => output::format(session, "\\T", arg),
            "\\timing" => output::timing(session, arg),
            "\\W" => output::show_warnings(session, true),
            "\\w" => output::show_warnings(session, false),
            "\\pset" => output::pset(session, arg),
            "\\pager" => output::pager(session, arg),
            "\\o" | "\\out" => output::out(session, arg),
            "\\echo" => vars::echo(session, arg),
            "\\qecho" => vars::qecho(session, arg),
            "\\warn" => vars::warn(session, arg),
            "\\set" => vars::set(session, arg),
            "\\unset" => vars::unset(session, arg),
            "\\getenv" => vars::getenv(session, arg),
            "\\restrict" => vars::restrict(session, arg),
            "\\unrestrict" => vars::unrestrict(session, arg),
            "\\errverbose" => vars::errverbose(session),
            "\\copy" => copy::run(session, arg).await,
            "\\!" => output::shell(arg),
            "\\conninfo" => connect::conninfo(session).await,
            "\\password" => password::run(session, arg).await,
            "\\c" | "\\connect" => connect::connect(session, arg).await,
            "\\watch" => watch::run(session, arg).await,
            "\\refresh" => {
                if session.catalog().is_none() {
                    session.print("Completion is only loaded at the prompt.")
                } else {
                    session.refresh_catalog().await;
                    session.print("Reloading the completion catalog.")
                }
            }
            // The REPL handles \e before the text gets here: in a script it cannot work.
            "\\e" | "\\edit" => {
                eprintln!("\\e: the editor can only be opened at the interactive prompt");
                Err(RunError::Failed)
            }
            "\\ns" => named::save_query(session, arg),
            "\\nd" => named::delete_query(session, arg),
            _ => match list::ListKind::parse(name) {
                Some((kind, plus)) => list::run(session, kind, plus, arg).await,
                None => {
                    eprintln!("invalid command {name}; try \\? for help");
                    Err(RunError::Failed)
                }
            },
        };
        done.map(|()| Then::Done)
    })
}

/// Report the usage line of `name` (as named in COMMANDS) and fail.
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

/// The COMMANDS row for what the user typed: `dt+`, `\dt+`, `\connect`, `.tables`.
pub fn lookup(typed: &str) -> Option<&'static CommandHelp> {
    let want = if typed.starts_with('\\') || typed.starts_with('.') {
        typed.to_string()
    } else {
        format!("\\{typed}")
    };
    let want = want.strip_suffix('+').unwrap_or(&want);
    let want = match want {
        "\\connect" => "\\c",
        "\\quit" => "\\q",
        "\\out" => "\\o",
        "\\include" => "\\i",
        "\\list" => "\\l",
        "\\dg" => "\\du",
        "\\help" => "\\h",
        w => w,
    };
    COMMANDS.iter().find(|c| c.name == want)
}

fn help(session: &mut Session, arg: &str) -> Result<(), RunError> {
    if !arg.is_empty() {
        return match lookup(arg) {
            Some(c) => session.print(&format!("{}\n    {}", c.usage, c.description)),
            None => {
                eprintln!("no such command: {arg}");
                Err(RunError::Failed)
            }
        };
    }
    let width = COMMANDS
        .iter()
        .map(|c| c.usage.len())
        .filter(|w| *w <= 28)
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for c in COMMANDS {
        if c.usage.len() > width {
            text.push_str(&format!("{}\n{:width$}  {}\n", c.usage, "", c.description));
        } else {
            text.push_str(&format!("{:width$}  {}\n", c.usage, c.description));
        }
    }
    text.push_str("\nEnd a statement with \\G instead of ; to show its result vertically.\n");
    session.print_paged(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_usage_starting_with_its_name() {
        for c in COMMANDS {
            assert!(c.usage.starts_with(c.name), "{}", c.name);
            assert!(!c.description.is_empty());
        }
        assert_eq!(lookup("dt+").map(|c| c.name), Some("\\dt"));
        assert_eq!(lookup("\\connect").map(|c| c.name), Some("\\c"));
        assert_eq!(lookup(".tables").map(|c| c.name), Some(".tables"));
        assert!(lookup("nope").is_none());
    }

    #[test]
    fn every_list_command_is_in_the_table() {
        for name in [
            "\\d", "\\dt", "\\dv", "\\dm", "\\di", "\\ds", "\\dn", "\\df", "\\dT", "\\du", "\\l",
            "\\dx",
        ] {
            let (kind, _) = list::ListKind::parse(name).unwrap();
            assert!(lookup(kind.command()).is_some(), "{name}");
        }
    }
}
