//! SQLite's page cache: large while a sync writes, small the rest of the time.
//!
//! A first sync inserts into several indexes at random places, and with SQLite's 2 MiB
//! default each insert becomes disk reads once the indexes outgrow it: 64 MiB then. But
//! SQLite keeps what it read up to the ceiling, and the app's own reads fill it too: the
//! list's ids of a million-message inbox (about 40 MB of index pages), which then stayed
//! in the app's memory for good (glibc does not hand freed pages back). Outside writes the
//! ceiling is 8 MiB: the indexes' inner pages, and the OS file cache serves the rest.
//! Measured with `make bench-app` at 1,000,000 cached messages: see the README.

use super::Store;

/// The ceilings, in KiB (SQLite's negative `cache_size`).
const WRITING_KIB: i64 = 65_536;
const STANDING_KIB: i64 = 8_192;

/// A bulk write in progress (`Store::bulk_write`): the large cache until the last one ends.
pub struct BulkWrite<'a>(&'a Store);

impl Store {
    /// The large page cache for as long as the returned guard lives.
    pub fn bulk_write(&self) -> BulkWrite<'_> {
        let mut writers = self.bulk_writers.lock().unwrap_or_else(|p| p.into_inner());
        *writers += 1;
        if *writers == 1 {
            self.set_page_cache(WRITING_KIB);
        }
        BulkWrite(self)
    }

    fn set_page_cache(&self, kib: i64) {
        // A failed pragma only costs speed or memory, never data.
        if let Err(e) = self.conn().pragma_update(None, "cache_size", -kib) {
            tracing::warn!("could not resize SQLite's page cache: {e}");
        }
    }
}

impl Drop for BulkWrite<'_> {
    fn drop(&mut self) {
        let mut writers = self
            .0
            .bulk_writers
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        *writers -= 1;
        if *writers == 0 {
            self.0.set_page_cache(STANDING_KIB);
        }
    }
}

/// The ceiling a connection starts with.
pub(super) fn standing() -> i64 {
    -STANDING_KIB
}

#[cfg(test)]
mod tests {
    use crate::store::Store;

    fn cache_size(store: &Store) -> i64 {
        store
            .conn()
            .query_row("PRAGMA cache_size", [], |r| r.get(0))
            .expect("cache_size")
    }

    #[test]
    fn the_large_cache_lasts_as_long_as_the_last_bulk_write() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open");
        assert_eq!(cache_size(&store), -8_192);
        let first = store.bulk_write();
        let second = store.bulk_write();
        assert_eq!(cache_size(&store), -65_536);
        drop(first);
        assert_eq!(cache_size(&store), -65_536, "another write is still going");
        drop(second);
        assert_eq!(cache_size(&store), -8_192);
    }
}
