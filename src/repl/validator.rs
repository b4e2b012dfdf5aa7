//! When Enter submits: the statement is complete (ends with `;`, `\G` or `\g` outside
//! strings and comments), or the input is a backslash command or `quit`/`exit`.

use std::sync::{Arc, Mutex};

use reedline::{ValidationResult, Validator};

use crate::sql::{facts, Splitter};

pub struct SqlValidator {
    pub splitter: Arc<Mutex<Splitter>>,
}

impl Validator for SqlValidator {
    fn validate(&self, line: &str) -> ValidationResult {
        if facts::is_quit(line) {
            return ValidationResult::Complete;
        }
        let complete = match self.splitter.lock() {
            Ok(s) => s.is_complete(line) || s.awaits_copy_data(line),
            Err(_) => true,
        };
        if complete {
            ValidationResult::Complete
        } else {
            ValidationResult::Incomplete
        }
    }
}
