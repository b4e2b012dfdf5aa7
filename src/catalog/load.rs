//! Loading the catalog in the background and sharing it as a snapshot.
//!
//! The completer reads `SharedCatalog::get()` — an `Arc` clone, never a wait. Loads run on
//! their own connection (so the user's statements never queue behind introspection) and
//! replace the snapshot in one swap. Each snapshot is also written to the cache directory,
//! so the next start completes names at once and revalidates in the background.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use super::Catalog;
use crate::db::{Backend, Connection, DbError, Target};

/// The latest catalog snapshot, shared between the loader and the completer.
#[derive(Clone, Default)]
pub struct SharedCatalog {
    inner: Arc<RwLock<Arc<Catalog>>>,
    /// True once a snapshot from the server (not only the disk cache) is in.
    fresh: Arc<AtomicBool>,
    /// Bumped by every `set`, so that a late disk snapshot never replaces a newer catalog.
    generation: Arc<AtomicU64>,
}

impl SharedCatalog {
    pub fn get(&self) -> Arc<Catalog> {
        self.inner
            .read()
            .map(|c| c.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    pub fn set(&self, catalog: Catalog) {
        let new = Arc::new(catalog);
        let mut c = self.inner.write().unwrap_or_else(|p| p.into_inner());
        *c = new;
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Install `catalog` unless something was set since `generation` was read.
    fn set_if_unchanged(&self, catalog: Catalog, generation: u64) -> bool {
        let mut c = self.inner.write().unwrap_or_else(|p| p.into_inner());
        if self.generation.load(Ordering::SeqCst) != generation {
            return false;
        }
        *c = Arc::new(catalog);
        self.generation.fetch_add(1, Ordering::SeqCst);
        true
    }

    /// Read the disk snapshot at `path` on a thread of its own and install it unless a
    /// load from the server lands first. Parsing a big snapshot takes tens of milliseconds
    /// (10 MB for 5,000 tables x 20 columns): it must not stand between start-up and the
    /// first prompt.
    fn set_from_disk_in_background(&self, path: PathBuf) {
        let generation = self.generation.load(Ordering::SeqCst);
        let me = self.clone();
        let read = move || {
            if let Some(cached) = read_cache(&path) {
                me.set_if_unchanged(cached, generation);
            }
        };
        // No thread to be had: names then complete once the load from the server lands.
        let _ = std::thread::Builder::new()
            .name("dbsh-snapshot".into())
            .spawn(read);
    }

    pub fn is_fresh(&self) -> bool {
        self.fresh.load(Ordering::SeqCst)
    }
}

/// Introspect the database behind `conn`.
pub async fn load(conn: &mut Connection) -> Result<Catalog, DbError> {
    match conn.backend() {
        Backend::Postgres => super::postgres::load(conn).await,
        Backend::Mysql => super::mysql::load(conn).await,
        Backend::Sqlite => super::sqlite::load(conn).await,
    }
}

/// Where the snapshot of `target` is cached: `$XDG_CACHE_HOME/dbsh/catalog/<hash>.json`.
pub fn cache_path(target: &Target) -> Option<PathBuf> {
    // An in-memory database lives and dies with its session: nothing to share or reuse.
    if matches!(target, Target::Sqlite(s) if s.path.is_none()) {
        return None;
    }
    let key = format!("{}:{}", target.backend().name(), target.cache_key());
    // FNV-1a: stable across runs and Rust versions, unlike the std hasher.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    dirs::cache_dir().map(|d| {
        d.join("dbsh")
            .join("catalog")
            .join(format!("{h:016x}.json"))
    })
}

pub fn read_cache(path: &PathBuf) -> Option<Catalog> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn write_cache(path: &std::path::Path, catalog: &Catalog) {
    // Best effort: without a cache the next start only completes a little later.
    if let Ok(json) = serde_json::to_vec(catalog) {
        let _ = crate::files::write_private(path, &json);
    }
}

/// Keeps a `SharedCatalog` current for one session.
#[derive(Clone)]
pub struct Loader {
    pub shared: SharedCatalog,
    target: Arc<RwLock<Target>>,
    cache: Option<PathBuf>,
    running: Arc<AtomicBool>,
    again: Arc<AtomicBool>,
}

impl Loader {
    /// A loader for `target`, starting from its cached snapshot when there is one.
    pub fn new(target: &Target) -> Loader {
        let shared = SharedCatalog::default();
        let cache = cache_path(target);
        shared.set(Catalog {
            dialect: target.backend().dialect(),
            ..Catalog::default()
        });
        if let Some(path) = &cache {
            shared.set_from_disk_in_background(path.clone());
        }
        Loader {
            shared,
            target: Arc::new(RwLock::new(target.clone())),
            cache,
            running: Arc::new(AtomicBool::new(false)),
            again: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Point the loader at another target (after `\c`), keeping no stale names.
    pub fn retarget(&mut self, target: &Target) {
        if let Ok(mut t) = self.target.write() {
            *t = target.clone();
        }
        self.cache = cache_path(target);
        self.shared.set(Catalog {
            dialect: target.backend().dialect(),
            ..Catalog::default()
        });
        if let Some(path) = &self.cache {
            self.shared.set_from_disk_in_background(path.clone());
        }
    }

    /// Whether loads need the session's own connection (an in-memory SQLite database
    /// cannot be opened twice).
    pub fn needs_session_connection(&self) -> bool {
        self.target
            .read()
            .map(|t| matches!(&*t, Target::Sqlite(s) if s.path.is_none()))
            .unwrap_or(false)
    }

    /// Load on the session's connection, now (in-memory SQLite: fast).
    pub async fn refresh_on(&self, conn: &mut Connection) {
        if let Ok(c) = load(conn).await {
            self.install(c);
        }
    }

    fn install(&self, c: Catalog) {
        if let Some(path) = &self.cache {
            write_cache(path, &c);
        }
        self.shared.set(c);
        self.shared.fresh.store(true, Ordering::SeqCst);
    }

    /// Start a background load on a connection of its own. While one runs, further
    /// requests fold into a single reload after it.
    pub fn refresh(&self) {
        if self.running.swap(true, Ordering::SeqCst) {
            self.again.store(true, Ordering::SeqCst);
            return;
        }
        let me = self.clone();
        // Its own thread and runtime: result sinks are not Send, and introspection must
        // never hold up the session's runtime anyway.
        let spawned = std::thread::Builder::new()
            .name("dbsh-catalog".into())
            .spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    me.running.store(false, Ordering::SeqCst);
                    return;
                };
                rt.block_on(me.clone().reload_loop());
            });
        if spawned.is_err() {
            self.running.store(false, Ordering::SeqCst);
        }
    }

    async fn reload_loop(self) {
        let me = self;
        {
            loop {
                me.again.store(false, Ordering::SeqCst);
                let target = me.target.read().map(|t| t.clone()).ok();
                if let Some(mut target) = target {
                    if let Target::Sqlite(s) = &mut target {
                        s.read_only = true;
                    }
                    if let Ok(mut conn) = Connection::connect(&target).await {
                        if let Ok(c) = load(&mut conn).await {
                            me.install(c);
                        }
                    }
                }
                if !me.again.load(Ordering::SeqCst) {
                    break;
                }
            }
            me.running.store(false, Ordering::SeqCst);
        }
    }

    /// Wait (bounded) until a load from the server has landed; for `--suggest` and tests.
    pub fn wait_fresh(&self, timeout: std::time::Duration) -> bool {
        let deadline = std::time::Instant::now() + timeout;
        while !self.shared.is_fresh() {
            if std::time::Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_in_memory_sqlite_database_has_no_snapshot_file() {
        let memory = Target::Sqlite(crate::db::target::SqliteTarget {
            path: None,
            read_only: false,
        });
        assert_eq!(cache_path(&memory), None);
        let file = Target::Sqlite(crate::db::target::SqliteTarget {
            path: Some("/tmp/dbsh-x.db".into()),
            read_only: false,
        });
        assert!(dirs::cache_dir().is_none() || cache_path(&file).is_some());
    }

    #[test]
    fn a_late_disk_snapshot_never_replaces_a_newer_catalog() {
        let shared = SharedCatalog::default();
        let before = shared.generation.load(Ordering::SeqCst);
        shared.set(Catalog {
            current_database: "from the server".into(),
            ..Catalog::default()
        });
        let stale = Catalog {
            current_database: "from disk".into(),
            ..Catalog::default()
        };
        assert!(!shared.set_if_unchanged(stale.clone(), before));
        assert_eq!(shared.get().current_database, "from the server");
        let now = shared.generation.load(Ordering::SeqCst);
        assert!(shared.set_if_unchanged(stale, now));
        assert_eq!(shared.get().current_database, "from disk");
    }
}
