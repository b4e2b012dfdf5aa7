//! Integration tests: one test binary (faster to link on small machines), one module per area.

mod catalog;
mod cluster;
mod common;
mod complete;
mod config;
mod cutproxy;
mod editing;
mod failover;
mod faults;
mod mysql;
mod postgres;
mod pty;
mod restart;
mod safety;
mod special;
mod sqlite;
