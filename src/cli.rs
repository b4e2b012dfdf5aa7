//! The command-line contract (see DESIGN.md): psql-style flags, so help is `--help` / `-?`
//! and `-h` is the host.

use std::path::PathBuf;

use clap::{ArgAction, Parser, ValueEnum};

use crate::render::Format;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Driver {
    Postgres,
    Mysql,
    Sqlite,
}

#[derive(Debug, Parser)]
#[command(
    name = "dbsh",
    version,
    about = "A fast database shell for PostgreSQL, MySQL/MariaDB and SQLite",
    disable_help_flag = true,
    after_help = "TARGET examples:\n  dbsh postgres://user@localhost:5432/app\n  dbsh mysql://root@127.0.0.1:3306/test\n  dbsh ./data.db            (or sqlite://data.db, sqlite::memory:)\n  dbsh                      (an in-memory SQLite database)"
)]
pub struct Cli {
    /// postgres://…, mysql://…, mariadb://…, sqlite://PATH, sqlite::memory:, a SQLite file, or a saved connection name
    pub target: Option<String>,

    /// Print help
    #[arg(long = "help", short = '?', action = ArgAction::Help)]
    pub help: Option<bool>,

    /// Server host (or Unix-socket directory)
    #[arg(short = 'h', long)]
    pub host: Option<String>,
    /// Server port
    #[arg(short = 'p', long)]
    pub port: Option<u16>,
    /// User name
    #[arg(short = 'U', long = "username")]
    pub user: Option<String>,
    /// Database name
    #[arg(short = 'd', long = "dbname")]
    pub dbname: Option<String>,
    /// Ask for a password before connecting
    #[arg(short = 'W', long = "password")]
    pub password_prompt: bool,
    /// MySQL: read connection options only from this option file (instead of ~/.my.cnf etc.)
    #[arg(long, value_name = "FILE")]
    pub defaults_file: Option<PathBuf>,
    /// Which backend the flags above mean when no URL says so (default postgres)
    #[arg(long, value_enum)]
    pub driver: Option<Driver>,

    /// Run SQL (or a backslash command) and exit; repeatable
    #[arg(short = 'c', long = "command", value_name = "SQL")]
    pub commands: Vec<String>,
    /// Run a script and exit
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Keep going after an error in -c/-f/stdin input (the exit code still reports it)
    #[arg(long)]
    pub continue_on_error: bool,
    /// Set a variable (psql's -v): used as :NAME in SQL; repeatable
    #[arg(
        short = 'v',
        long = "set",
        visible_alias = "variable",
        value_name = "NAME=VALUE"
    )]
    pub vars: Vec<String>,
    /// No status messages (Expanded display is on., command tags); results only
    #[arg(short = 'q', long)]
    pub quiet: bool,

    /// The session cannot change data (enforced by the server, not by dbsh)
    #[arg(long)]
    pub read_only: bool,
    /// Refuse destructive statements (DROP, TRUNCATE, DELETE/UPDATE without WHERE) instead of asking
    #[arg(long)]
    pub no_destructive: bool,
    /// Cancel statements that run longer than this many seconds
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,

    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Vertical output (same as --format vertical)
    #[arg(short = 'x', long = "expanded")]
    pub expanded: bool,

    /// Print completion candidates for SQL (TEXT<TAB>KIND per line) and exit
    #[arg(long, value_name = "SQL")]
    pub suggest: Option<String>,
    /// Cursor position (in characters) for --suggest; default: the end
    #[arg(long, value_name = "N", requires = "suggest")]
    pub cursor: Option<usize>,

    /// Config file (default: $DBSH_CONFIG or ~/.config/dbsh/config.toml)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Syntax-highlighting theme
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,
    /// List the saved connections of the config file and exit
    #[arg(long)]
    pub list_dsn: bool,
    /// List the server's databases and exit
    #[arg(short = 'l', long = "list")]
    pub list_databases: bool,
    /// Print a completion script for SHELL (bash, zsh, fish, elvish, powershell) and exit
    #[arg(long, value_name = "SHELL", value_enum)]
    pub completions: Option<clap_complete::Shell>,

    /// Vi editing mode
    #[arg(long)]
    pub vi: bool,
    /// No colours
    #[arg(long)]
    pub no_color: bool,
    /// List the syntax-highlighting themes (built-in and your own) and exit
    #[arg(long)]
    pub list_themes: bool,
}
