//! When Enter submits: the statement is complete (ends with `;`, `\G` or `\g` outside
//! strings and comments), or the input is a backslash command or `quit`/`exit`.

use std::sync::{Arc, Mutex};

use reedline::{ValidationResult, Validator};

use crate::split::Splitter;

pub struct SqlValidator {
    pub splitter: Arc<Mutex<Splitter>>,
}

impl Validator for SqlValidator {
    fn validate(&self, line: &str) -> ValidationResult {
        let word = line.trim().trim_end_matches(';').trim();
        if word.eq_ignore_ascii_case("quit") || word.eq_ignore_ascii_case("exit") {
            return ValidationResult::Complete;
        }
        let complete = match self.splitter.lock() {
            Ok(s) => s.is_complete(line),
            Err(_) => true,
        };
        if complete {
            ValidationResult::Complete
        } else {
            ValidationResult::Incomplete
        }
    }
}
