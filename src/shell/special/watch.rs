//! `\watch [seconds]`: run the last query again every N seconds (default 2) until Ctrl-C,
//! each run under a header with its time, as psql does.
//!
//! Ctrl-C while the query runs cancels it through the session's canceller (the app's
//! SIGINT handler); Ctrl-C while waiting is caught here, so waiting is interruptible.

use std::time::Duration;

use tokio::signal::unix::{signal, SignalKind};

use crate::shell::{RunError, Session};

pub(super) async fn run(session: &mut Session, arg: &str) -> Result<(), RunError> {
    let secs = match arg {
        "" => 2.0,
        a => match a.parse::<f64>() {
            Ok(s) if s.is_finite() && s > 0.0 && s < 1e9 => s,
            _ => {
                eprintln!("\\watch: interval must be a positive number of seconds, not '{a}'");
                return super::usage("\\watch");
            }
        },
    };
    let Some(sql) = session.last_sql().map(str::to_string) else {
        eprintln!("\\watch: no query to repeat; run one first");
        return Err(RunError::Failed);
    };
    let mut interrupt = signal(SignalKind::interrupt()).map_err(|e| {
        eprintln!("\\watch: cannot catch Ctrl-C: {e}");
        RunError::Failed
    })?;
    // Each run is short and repeated: paging every one would stop the loop.
    let pager = session.set_pager(None);
    let r = async {
        loop {
            session.print(&format!("{} (every {}s)\n", now(), fmt_secs(secs)))?;
            session.run_sql(&sql, false, &sql, 0).await?;
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs_f64(secs)) => {}
                _ = interrupt.recv() => return Ok(()),
            }
        }
    }
    .await;
    session.set_pager(pager);
    r
}

fn fmt_secs(s: f64) -> String {
    if s.fract() == 0.0 {
        format!("{s:.0}")
    } else {
        format!("{s}")
    }
}

/// The local time as C's `%c` shows it: `Wed Nov 26 06:00:00 2026`.
fn now() -> String {
    chrono::Local::now()
        .format("%a %b %e %H:%M:%S %Y")
        .to_string()
}
