//! PostgreSQL backend tests (see issue: PostgreSQL backend).
