//! History that never stores secrets: statements that set passwords are run but not
//! saved. Everything else is delegated to reedline's file-backed history, which keeps
//! multi-line statements whole.
//!
//! Each entry is written to the file as it is submitted (before it runs), under the file
//! lock reedline's sync takes (`flock`), merging what other sessions appended meanwhile: a
//! closed terminal, SIGHUP or a crash loses nothing typed, and two sessions can share the
//! file.

use reedline::{
    FileBackedHistory, History, HistoryItem, HistoryItemId, HistorySessionId, Result, SearchQuery,
};

pub struct SecretFilteringHistory {
    inner: FileBackedHistory,
}

impl SecretFilteringHistory {
    pub fn new(inner: FileBackedHistory) -> SecretFilteringHistory {
        SecretFilteringHistory { inner }
    }
}

impl History for SecretFilteringHistory {
    fn save(&mut self, h: HistoryItem) -> Result<HistoryItem> {
        if crate::sql::facts::carries_secret(&h.command_line)
            || crate::secret::mask(&h.command_line) != h.command_line
        {
            // Run, not remembered: reedline keeps the line for this session's Up key.
            return Ok(h);
        }
        let saved = self.inner.save(h)?;
        if let Err(e) = self.inner.sync() {
            eprintln!("warning: cannot write the history file: {e}");
        }
        Ok(saved)
    }

    fn load(&self, id: HistoryItemId) -> Result<HistoryItem> {
        self.inner.load(id)
    }

    fn count(&self, query: SearchQuery) -> Result<i64> {
        self.inner.count(query)
    }

    fn search(&self, query: SearchQuery) -> Result<Vec<HistoryItem>> {
        self.inner.search(query)
    }

    fn update(
        &mut self,
        id: HistoryItemId,
        updater: &dyn Fn(HistoryItem) -> HistoryItem,
    ) -> Result<()> {
        self.inner.update(id, updater)
    }

    fn clear(&mut self) -> Result<()> {
        self.inner.clear()
    }

    fn delete(&mut self, h: HistoryItemId) -> Result<()> {
        self.inner.delete(h)
    }

    fn sync(&mut self) -> std::io::Result<()> {
        self.inner.sync()
    }

    fn session(&self) -> Option<HistorySessionId> {
        self.inner.session()
    }
}
