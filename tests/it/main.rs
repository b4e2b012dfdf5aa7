//! Integration tests: one test binary (faster to link on small machines), one module per area.

mod catalog;
mod common;
mod complete;
mod config;
mod editing;
mod mysql;
mod postgres;
mod prompt;
mod pty;
mod safety;
mod special;
mod sqlite;
