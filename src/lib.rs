//! dbsh: a database shell for PostgreSQL, MySQL/MariaDB and SQLite.
//!
//! Arrows point one way (ARCHITECTURE.md has the graph; `tests/it/arrows.rs` checks it):
//! `app` and `repl` drive the `shell` (a session, its commands and how it runs input),
//! which uses `db`, `catalog`, `render` and `sql`; `complete` uses only `catalog` and
//! `sql`; `render` knows nothing of backends; `db` knows nothing of the terminal.

#![warn(unreachable_pub)]

pub mod app;
pub mod catalog;
pub mod cli;
pub mod complete;
pub mod config;
pub mod db;
pub mod files;
pub mod guard;
pub mod rawbytes;
pub mod render;
pub mod repl;
pub mod result;
pub mod script;
pub mod secret;
pub mod shell;
pub mod sql;
pub mod tty;
