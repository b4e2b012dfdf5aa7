//! MySQL/MariaDB backend tests.
