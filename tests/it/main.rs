//! Integration tests: one test binary (faster to link on small machines), one module per area.

mod catalog;
mod common;
mod complete;
mod config;
mod dumps;
mod editing;
mod mysql;
mod postgres;
mod pty;
mod safety;
mod scripts;
mod special;
mod sqlite;
mod vars;
