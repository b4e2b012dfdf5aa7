//! psql's script state, kept by a session between pieces of input: variables (`vars`),
//! the `\if` stack (`cond`), `\restrict`, the last error. Plain data: it runs nothing and
//! prints nothing, so the session below the commands and the flow can own it.

pub mod cond;
pub mod vars;

use crate::db::DbError;

/// What a session keeps between pieces of input.
#[derive(Debug, Default)]
pub struct ScriptState {
    pub vars: vars::Vars,
    pub conds: cond::Conditionals,
    /// `\restrict KEY`: no meta-command but `\unrestrict KEY` runs.
    pub restricted: Option<String>,
    /// The last error, as reported, for `\errverbose`.
    pub last_error: Option<String>,
    /// `-q`: no status messages.
    pub quiet: bool,
}

impl ScriptState {
    /// Record a failed statement: `\errverbose`, and psql's ERROR/SQLSTATE variables.
    pub fn note_error(&mut self, e: &DbError) {
        let text = e.to_string();
        let state = match e {
            DbError::Query(q) => q.sqlstate.clone().unwrap_or_default(),
            _ => String::new(),
        };
        let _ = self.vars.set("ERROR", "true");
        let _ = self.vars.set("SQLSTATE", &state);
        let _ = self.vars.set("LAST_ERROR_SQLSTATE", &state);
        let message = match e {
            DbError::Query(q) => q.message.clone(),
            other => other.to_string(),
        };
        let _ = self.vars.set("LAST_ERROR_MESSAGE", &message);
        self.last_error = Some(text);
    }

    pub(crate) fn note_success(&mut self) {
        let _ = self.vars.set("ERROR", "false");
        let _ = self.vars.set("SQLSTATE", "00000");
    }

    /// Whether a failure stops the run: `ON_ERROR_STOP` when the user set it, else the
    /// run's own mode (scripts stop unless `--continue-on-error`).
    pub(crate) fn stops_on_error(&self, keep_going: bool) -> bool {
        self.vars.flag("ON_ERROR_STOP").unwrap_or(!keep_going)
    }

    pub(crate) fn lookup(&self) -> impl Fn(&str) -> Option<String> + '_ {
        |name| self.vars.get(name).map(str::to_string)
    }
}
