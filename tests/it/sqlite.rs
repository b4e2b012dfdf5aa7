//! SQLite and backend-independent CLI tests.
