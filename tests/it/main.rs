//! Integration tests: one test binary (faster to link on small machines), one module per area.

mod arrows;
mod catalog;
mod cluster;
mod common;
mod complete;
mod config;
mod cutproxy;
mod dumps;
mod editing;
mod failover;
mod faults;
mod mysql;
mod pooler;
mod postgres;
mod prompt;
mod pty;
mod questions;
mod replica;
mod restart;
mod safety;
mod scripts;
mod special;
mod sqlite;
mod vars;
