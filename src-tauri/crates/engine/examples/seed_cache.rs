//! Fill a cache with N synthetic messages in one account's INBOX, straight through
//! `ingest` and the store (no server): what the desktop app's 100,000-message
//! end-to-end check opens. Usage: `seed_cache DATA_DIR [COUNT]` (default 100,000).

use std::sync::Arc;

use courriel_engine::api::{Endpoint, NewAccount, Protocol, Security};
use courriel_engine::auth::secrets::NoSecrets;
use courriel_engine::ingest::{self, ServerMeta};
use courriel_engine::Engine;

#[path = "common/words.rs"]
mod words;
use words::WORDS;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: seed_cache DATA_DIR [COUNT]")?;
    let count: u32 = args.next().map_or(Ok(100_000), |n| n.parse())?;
    std::fs::create_dir_all(&dir)?;
    let engine = Engine::open(std::path::Path::new(&dir), Arc::new(NoSecrets))?;
    let account = engine.add_account(big_mailbox()).await?;
    let store = engine.store();
    let _large_cache = store.bulk_write(); // as a sync writes
    let folder = store.folder(account.id, "INBOX", Some("inbox"))?;
    let newest = 1_790_000_000_i64;
    let mut batch = Vec::with_capacity(1000);
    for i in 0..count {
        let word = WORDS[(i as usize * 7) % WORDS.len()];
        let raw = format!(
            "From: Sender {s} <sender{s}@example.test>\r\nTo: big@example.test\r\n\
             Subject: Message {i} about the {word}\r\nMessage-ID: <big{i}@example.test>\r\n\
             Content-Type: text/plain; charset=utf-8\r\n\r\nBody of message {i}: the {word}.\r\n",
            s = i % 500
        );
        let meta = ServerMeta {
            uid: i + 1,
            flags: if i % 5 == 0 {
                vec![]
            } else {
                vec!["\\Seen".into()]
            },
            internal_date: newest - i64::from(count - i) * 60,
            modseq: 1,
            size: None,
            labels: vec![],
            thread_id: None,
        };
        batch.push(ingest::parse(raw.into_bytes(), meta));
        if batch.len() == 1000 {
            store.insert_batch(account.id, folder.id, &batch)?;
            batch.clear();
        }
    }
    store.insert_batch(account.id, folder.id, &batch)?;
    engine.index_for_search().await?;
    println!("{count} messages in {dir}");
    Ok(())
}

/// The one account the messages go to.
fn big_mailbox() -> NewAccount {
    let endpoint = |port| Endpoint {
        host: "127.0.0.1".into(),
        port,
        security: Security::Tls,
    };
    NewAccount {
        email: "big@example.test".into(),
        display_name: "Big Mailbox".into(),
        username: "big@example.test".into(),
        protocol: Protocol::Imap,
        // Port 9: nothing listens; the app's background sync fails quietly.
        incoming: endpoint(9),
        smtp: endpoint(9),
        ca_file: None,
        sent_copy: None,
        smtp_plaintext_no_auth: false,
        auth: Default::default(),
    }
}
