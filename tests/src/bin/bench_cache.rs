//! Where a full sync's local time goes, without a server: the seeded mailbox
//! (`seed::Generator`, the one `bench_sync` serves through Dovecot) parsed by `ingest` and
//! cached by the store in the sync's batches, then indexed for search, timing parsing,
//! caching and indexing apart, then the size of the cache. `bench_cache [COUNT]` (default 100,000). A profile, not a test.

use std::error::Error;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use courriel_engine::api::{Endpoint, NewAccount, Protocol, Security};
use courriel_engine::auth::secrets::NoSecrets;
use courriel_engine::ingest::{self, ServerMeta};
use courriel_engine::Engine;
use courriel_tests::seed::Generator;

/// The sync's batch size (imap/sync.rs).
const BATCH: usize = 500;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let count: usize = std::env::args().nth(1).map_or(Ok(100_000), |n| n.parse())?;
    let dir = tempfile::tempdir()?;
    let engine = Engine::open(dir.path(), Arc::new(NoSecrets))?;
    let endpoint = |port| Endpoint {
        host: "127.0.0.1".into(),
        port,
        security: Security::Tls,
    };
    let account = engine
        .add_account(NewAccount {
            email: "bob@example.test".into(),
            display_name: "Bob".into(),
            username: "bob@example.test".into(),
            protocol: Protocol::Imap,
            incoming: endpoint(9),
            smtp: endpoint(9),
            ca_file: None,
            sent_copy: None,
            smtp_plaintext_no_auth: false,
            auth: Default::default(),
        })
        .await?;
    let store = engine.store();
    let _large_cache = store.bulk_write(); // as a sync writes
    let folder = store.folder(account.id, "INBOX", Some("inbox"))?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64;
    // Newest first, as the sync fetches them.
    let mut messages: Vec<_> = Generator::new(count, now, None).collect();
    messages.reverse();
    let (mut parse, mut cache) = (Duration::ZERO, Duration::ZERO);
    let mut uid = count as u32;
    for chunk in messages.chunks(BATCH) {
        let started = Instant::now();
        let parsed: Vec<_> = chunk
            .iter()
            .map(|g| {
                uid -= 1;
                let meta = ServerMeta {
                    uid: uid + 1,
                    internal_date: g.date,
                    size: Some(g.raw.len() as u32),
                    ..Default::default()
                };
                ingest::parse(g.raw.clone(), meta)
            })
            .collect();
        parse += started.elapsed();
        let started = Instant::now();
        store.insert_batch(account.id, folder.id, &parsed)?;
        cache += started.elapsed();
    }
    let started = Instant::now();
    let indexed = engine.index_for_search().await?;
    let index = started.elapsed();
    assert_eq!(indexed as usize, count, "every cached message indexed");
    let size: u64 = std::fs::read_dir(dir.path())?
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "{count} messages: parse {:.2} s, cache {:.2} s, index {:.2} s, cache files {:.0} MB",
        parse.as_secs_f64(),
        cache.as_secs_f64(),
        index.as_secs_f64(),
        size as f64 / 1e6
    );
    Ok(())
}
