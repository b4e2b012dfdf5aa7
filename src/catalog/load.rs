//! Loading the catalog in the background and sharing it as a snapshot.
//!
//! The completer reads `SharedCatalog::get()` — an `Arc` clone, never a wait. Loads run on
//! their own connection (so the user's statements never queue behind introspection) and
//! replace the snapshot in one swap. Each snapshot is also written to the cache directory,
//! so the next start completes names at once and revalidates in the background.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

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
    /// load from the server lands first. Reading a big snapshot takes tens of milliseconds
    /// (50,000 tables x 20 columns): it must not stand between start-up and the first
    /// prompt.
    fn set_from_disk_in_background(&self, path: PathBuf) {
        let generation = self.generation.load(Ordering::SeqCst);
        let me = self.clone();
        let read = move || {
            if let Some(cached) = read_cache(&path) {
                // Here, not at the first keystroke.
                cached.index();
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
    load_with(conn, None).await
}

/// Introspect the database behind `conn`, where it pays also on other connections to
/// `more` (the same database).
pub async fn load_with(conn: &mut Connection, more: Option<&Target>) -> Result<Catalog, DbError> {
    match conn.backend() {
        Backend::Postgres => super::postgres::load(conn).await,
        Backend::Mysql => super::mysql::load(conn, more, Default::default()).await,
        Backend::Sqlite => super::sqlite::load(conn).await,
    }
}

/// Where the snapshot of `target` is cached: `$XDG_CACHE_HOME/dbsh/catalog/<hash>.bin`
/// (see `snapshot` for the format).
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
    dirs::cache_dir().map(|d| d.join("dbsh").join("catalog").join(format!("{h:016x}.bin")))
}

pub fn read_cache(path: &PathBuf) -> Option<Catalog> {
    let bytes = std::fs::read(path).ok()?;
    super::snapshot::decode(&bytes)
}

fn write_cache(path: &std::path::Path, catalog: &Catalog) {
    // Best effort: without a cache the next start only completes a little later.
    let _ = crate::files::write_private(path, &super::snapshot::encode(catalog));
}

/// Keeps a `SharedCatalog` current for one session.
#[derive(Clone)]
pub struct Loader {
    pub shared: SharedCatalog,
    target: Arc<RwLock<Target>>,
    cache: Option<PathBuf>,
    /// Whether a background load runs, and what was asked for since it started.
    work: Arc<Mutex<Work>>,
}

#[derive(Default)]
struct Work {
    running: bool,
    /// A full reload is wanted.
    all: bool,
    /// Only these schemas are wanted (after DDL that touched only them).
    schemas: Vec<String>,
}

/// One round of the background loader.
#[derive(Debug, PartialEq)]
enum Job {
    All,
    Schemas(Vec<String>),
}

impl Work {
    /// Note a request: `None` for everything, else one schema.
    fn ask(&mut self, schema: Option<String>) {
        match schema {
            None => self.all = true,
            Some(s) if !self.schemas.contains(&s) => self.schemas.push(s),
            Some(_) => {}
        }
    }

    /// What to load next, folding every request so far into one round.
    fn take(&mut self) -> Option<Job> {
        let schemas = std::mem::take(&mut self.schemas);
        if std::mem::take(&mut self.all) {
            Some(Job::All)
        } else if schemas.is_empty() {
            None
        } else {
            Some(Job::Schemas(schemas))
        }
    }
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
            work: Arc::default(),
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

    /// Load on the session's connection, now (in-memory SQLite: fast): everything, or
    /// only `schema` when a statement touched only it.
    pub async fn refresh_on(&self, conn: &mut Connection, schema: Option<String>) {
        let job = match schema {
            None => Job::All,
            Some(s) => Job::Schemas(vec![s]),
        };
        self.run(conn, None, job).await;
    }

    fn install(&self, c: Catalog) {
        if let Some(path) = &self.cache {
            write_cache(path, &c);
        }
        // Built on the loader's thread, so the first keystroke after does not wait for it.
        c.index();
        self.shared.set(c);
        self.shared.fresh.store(true, Ordering::SeqCst);
    }

    /// Reload everything in the background.
    pub fn refresh(&self) {
        self.refresh_schema(None);
    }

    /// Start a background load on a connection of its own: of `schema` only, or of
    /// everything. While one runs, further requests fold into a single round after it.
    pub fn refresh_schema(&self, schema: Option<String>) {
        {
            let mut work = self.work.lock().unwrap_or_else(|p| p.into_inner());
            work.ask(schema);
            if work.running {
                return;
            }
            work.running = true;
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
                    me.stopped();
                    return;
                };
                rt.block_on(me.clone().reload_loop());
            });
        if spawned.is_err() {
            self.stopped();
        }
    }

    fn stopped(&self) {
        let mut work = self.work.lock().unwrap_or_else(|p| p.into_inner());
        work.running = false;
    }

    async fn reload_loop(self) {
        loop {
            let job = {
                let mut work = self.work.lock().unwrap_or_else(|p| p.into_inner());
                match work.take() {
                    Some(job) => job,
                    None => {
                        work.running = false;
                        return;
                    }
                }
            };
            let target = self.target.read().map(|t| t.clone()).ok();
            if let Some(mut target) = target {
                if let Target::Sqlite(s) = &mut target {
                    s.read_only = true;
                }
                if let Ok(mut conn) = Connection::connect(&target).await {
                    self.run(&mut conn, Some(&target), job).await;
                }
            }
        }
    }

    /// One round on `conn`. A schema is merged into the current snapshot only when that
    /// came from the server; a snapshot from disk may be behind anywhere.
    async fn run(&self, conn: &mut Connection, more: Option<&Target>, job: Job) {
        if let Job::Schemas(schemas) = &job {
            if self.shared.is_fresh() {
                let mut ok = true;
                for s in schemas {
                    match super::refresh::load_schema(conn, s).await {
                        Ok(part) => self.install(self.shared.get().with_schema(part)),
                        Err(_) => ok = false,
                    }
                }
                if ok {
                    return;
                }
            }
        }
        if let Ok(c) = load_with(conn, more).await {
            self.install(c);
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
    fn requests_while_loading_fold_into_one_round() {
        let mut w = Work::default();
        assert_eq!(w.take(), None);
        w.ask(Some("a".into()));
        w.ask(Some("b".into()));
        w.ask(Some("a".into()));
        assert_eq!(w.take(), Some(Job::Schemas(vec!["a".into(), "b".into()])));
        assert_eq!(w.take(), None);
        w.ask(Some("a".into()));
        w.ask(None);
        assert_eq!(w.take(), Some(Job::All));
        assert_eq!(w.take(), None);
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
