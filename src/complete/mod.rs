//! Completion: SQL text + cursor + catalog snapshot -> ranked candidates. Pure; no I/O.
