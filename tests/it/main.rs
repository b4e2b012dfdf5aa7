//! Integration tests: one test binary (faster to link on small machines), one module per area.

mod common;
mod config;
mod mysql;
mod postgres;
mod pty;
mod safety;
mod special;
mod sqlite;
