//! The only code that reads SQL text. `dialect` says how each server's SQL is spelled,
//! `lex` turns text into tokens, `split` cuts input into statements, client commands and
//! COPY data, `facts` answers what a statement does, `touched` which tables a DDL
//! statement changes, `tags` derives PostgreSQL's command tags and transaction moves,
//! `vars` interpolates psql variables. Pure: no I/O, no knowledge of connections, the
//! terminal or the catalog.

pub mod dialect;
pub mod facts;
pub mod lex;
pub mod split;
pub mod tags;
pub mod touched;
pub mod vars;

pub use dialect::{Dialect, LexState};
pub use split::{Piece, Splitter, Terminator};
pub use vars::interpolate;
