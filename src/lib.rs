//! dbsh: a database shell for PostgreSQL, MySQL/MariaDB and SQLite.
//!
//! Arrows point one way: `repl` and `special` use `session`, `db`, `catalog`, `complete`
//! and `render`; `complete` uses only `catalog`; `render` knows nothing of backends; `db`
//! knows nothing of the terminal.

pub mod catalog;
pub mod complete;
pub mod db;
pub mod split;
pub mod render;
