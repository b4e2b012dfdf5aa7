//! Integration tests: one test binary (faster to link on small machines), one module per area.

mod common;
mod editing;
mod mysql;
mod postgres;
mod pty;
mod sqlite;
