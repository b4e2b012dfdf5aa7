//! postgres backend (not yet implemented: connecting reports that).

use super::target::ConnectParams;
use super::{ConnInfo, DbError, ResultSink, TxState};

#[derive(Debug, Clone)]
pub struct PgTarget {
    display: String,
}

impl PgTarget {
    pub fn from_url(url: &str, _params: &ConnectParams) -> Result<PgTarget, String> {
        Ok(PgTarget {
            display: url.split('@').next_back().unwrap_or_default().to_string(),
        })
    }

    pub fn from_params(params: &ConnectParams) -> Result<PgTarget, String> {
        Ok(PgTarget {
            display: params.host.clone().unwrap_or_default(),
        })
    }

    pub fn describe(&self) -> String {
        self.display.clone()
    }
}

#[derive(Clone)]
pub struct PgCanceller;

impl PgCanceller {
    pub async fn cancel(&self) {}
}

pub struct PgConnection;

impl PgConnection {
    pub async fn connect(target: &PgTarget) -> Result<PgConnection, DbError> {
        Err(DbError::Connect {
            target: target.describe(),
            message: "the postgres backend is not built yet".into(),
            hint: None,
        })
    }

    pub async fn execute(&mut self, _sql: &str, _sink: &mut dyn ResultSink) -> Result<(), DbError> {
        Err(DbError::Unsupported("not built yet".into()))
    }

    pub fn canceller(&self) -> PgCanceller {
        PgCanceller
    }

    pub fn info(&self) -> ConnInfo {
        ConnInfo::default()
    }

    pub fn transaction_state(&self) -> TxState {
        TxState::Idle
    }
}
