//! dbsh: a database shell for PostgreSQL, MySQL/MariaDB and SQLite.
//!
//! Arrows point one way: `repl` and `special` drive a `session`, which uses `db`, `render`
//! and `sql`; `complete` uses only `catalog` and `sql`; `render` knows nothing of backends;
//! `db` knows nothing of the terminal. `flow` is how a session runs a script as psql does
//! (variables, `\if`, COPY data, `\gset`/`\gexec` endings).

#![warn(unreachable_pub)]

pub mod app;
pub mod catalog;
pub mod cli;
pub mod complete;
pub mod config;
pub mod db;
pub mod files;
pub mod flow;
pub mod guard;
pub mod rawbytes;
pub mod render;
pub mod repl;
pub mod result;
pub mod script;
pub mod secret;
pub mod session;
pub mod special;
pub mod sql;
pub mod tty;
