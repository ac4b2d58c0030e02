//! The IMAP cache against a real Dovecot: a seeded 5,000-message mailbox synced whole,
//! threaded and searchable; changes made by another client arriving through IDLE and
//! through sync; a recreated folder; local changes queued while the server is down; a
//! connection cut in the middle of a sync.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use courriel_engine::api::{MessageAction, MessageSummary, SyncProgress};
use courriel_engine::imap::{raw, ImapSession};
use courriel_engine::mailbox::WatchOptions;
use courriel_engine::{Engine, ErrorKind};
use courriel_tests::proxy::{proxy, Cut};
use courriel_tests::{engine, Servers};

const DAY: i64 = 86_400;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

async fn run(session: &mut ImapSession, command: &str) {
    raw::run_ok(session, command, ErrorKind::Protocol)
        .await
        .unwrap_or_else(|e| panic!("{command}: {e}"));
}

async fn folder(engine: &Engine, email: &str, name: &str) -> Vec<MessageSummary> {
    engine
        .folder_messages(email, name, 100_000)
        .await
        .expect("folder")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_seeded_mailbox_syncs_whole_threaded_and_searchable() {
    let servers = Servers::start();
    let now = now();
    let inbox = servers.seed("bob", None, 5000, now).expect("seed INBOX");
    let archive = servers
        .seed("bob", Some("Archive"), 300, now - 900 * DAY)
        .expect("seed Archive");
    let (engine, _dir) = engine(servers.secrets());
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob");

    let events = Mutex::new(Vec::<SyncProgress>::new());
    let report = engine
        .sync_with_progress(&bob.email, &|p| events.lock().expect("ok").push(p.clone()))
        .await
        .expect("first sync");
    assert_eq!((report.new_messages, report.total_cached), (5300, 5300));

    // Every seeded message is cached once, in its folder.
    for (name, seeded) in [("INBOX", &inbox), ("Archive", &archive)] {
        let cached = folder(&engine, &bob.email, name).await;
        let ids: Vec<_> = cached.iter().filter_map(|m| m.message_id.clone()).collect();
        let unique: HashSet<_> = ids.iter().cloned().collect();
        assert_eq!(ids.len(), seeded.message_ids.len(), "{name}");
        assert_eq!(
            unique,
            seeded.message_ids.iter().cloned().collect::<HashSet<_>>(),
            "{name}"
        );
        assert_eq!(
            cached.iter().filter(|m| m.seen).count(),
            seeded.seen,
            "{name} seen"
        );
        assert_eq!(
            cached.iter().filter(|m| m.flagged).count(),
            seeded.flagged,
            "{name} flagged"
        );
        assert_eq!(
            cached.iter().filter(|m| m.attachments > 0).count(),
            seeded.with_attachments,
            "{name} attachments"
        );
        // Newest first.
        assert!(
            cached.windows(2).all(|w| w[0].date >= w[1].date),
            "{name} order"
        );
    }

    // Progress came per folder, batch by batch, ending at done == total.
    let events = events.into_inner().expect("ok");
    let last = |f: &str| {
        events
            .iter()
            .rev()
            .find(|e| e.folder == f)
            .cloned()
            .expect("progress")
    };
    assert_eq!((last("INBOX").done, last("INBOX").total), (5000, 5000));
    assert_eq!((last("Archive").done, last("Archive").total), (300, 300));
    assert!(events.iter().filter(|e| e.folder == "INBOX").count() >= 10);

    // Threads: the seeded conversations, each a thread of its own.
    let cached = folder(&engine, &bob.email, "INBOX").await;
    let mut sizes: HashMap<i64, usize> = HashMap::new();
    for m in &cached {
        *sizes.entry(m.thread_id.expect("threaded")).or_default() += 1;
    }
    assert_eq!(sizes.values().filter(|n| **n > 1).count(), inbox.threads);
    assert_eq!(sizes.values().map(|n| n - 1).sum::<usize>(), inbox.replies);

    // The body window (30 days by default): recent mail whole, older mail headers only.
    let store = engine.store();
    let with_body = cached
        .iter()
        .filter(|m| store.has_body(m.id).expect("ok"))
        .count();
    assert!(
        (inbox.since(now - 31 * DAY)..=inbox.since(now - 29 * DAY)).contains(&with_body)
            || (inbox.since(now - 29 * DAY)..=inbox.since(now - 31 * DAY)).contains(&with_body),
        "{with_body} bodies, {} messages in 30 days",
        inbox.since(now - 30 * DAY)
    );
    // An old one opens anyway: its body is fetched on demand, and indexed.
    let old = cached
        .iter()
        .rev()
        .find(|m| m.attachments > 0)
        .expect("an old message with attachments");
    assert!(!store.has_body(old.id).expect("ok"));
    let attachments_before = store.message(old.id).expect("ok").attachments;
    let opened = engine.show(old.id).await.expect("show");
    assert!(!opened.text.is_empty() || opened.html.is_some());
    assert!(store.has_body(old.id).expect("ok"));
    assert_eq!(
        opened
            .attachments
            .iter()
            .map(|a| &a.filename)
            .collect::<Vec<_>>(),
        attachments_before
            .iter()
            .map(|a| &a.filename)
            .collect::<Vec<_>>(),
        "BODYSTRUCTURE and the parsed message list the same attachments"
    );

    // Search: every seeded word finds mail, newest first; a subject finds its message.
    for word in courriel_tests::seed::SEARCH_WORDS.iter().take(5) {
        let hits = engine.search(word, 50).await.expect("search");
        assert!(!hits.is_empty(), "{word}");
        assert!(
            hits.windows(2).all(|w| w[0].date >= w[1].date),
            "{word} order"
        );
    }
    let newest = &cached[0];
    let subject_word = newest
        .subject
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| w.chars().count() > 3)
        .expect("a word in the subject");
    let hits = engine
        .search(&format!("subject:{subject_word}"), 10_000)
        .await
        .expect("search");
    assert!(hits.iter().any(|m| m.id == newest.id), "{subject_word}");

    // A second sync with nothing changed changes nothing.
    let again = engine.sync(&bob.email).await.expect("resync");
    assert_eq!((again.new_messages, again.total_cached), (0, 5300));
}

#[tokio::test(flavor = "multi_thread")]
async fn another_clients_flag_arrives_through_idle() {
    let servers = Servers::start();
    servers.seed("bob", None, 20, now()).expect("seed");
    let (engine, _dir) = engine(servers.secrets());
    let engine = Arc::new(engine);
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob");
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let (tx, mut syncs) = tokio::sync::mpsc::unbounded_channel();
    let watcher = {
        let (engine, email) = (engine.clone(), bob.email.clone());
        tokio::spawn(async move {
            let on_sync =
                move |r: courriel_engine::Result<_>| drop(tx.send(r.map_err(|e| e.to_string())));
            engine
                .watch(&email, WatchOptions::default(), &on_sync, stop)
                .await
        })
    };
    let first = syncs.recv().await.expect("first sync").expect("ok");
    assert_eq!(first.total_cached, 20);
    let target = folder(&engine, &bob.email, "INBOX").await[3].clone();
    assert!(!target.flagged);

    let mut other = servers.other_client(&bob).await;
    run(&mut other, "SELECT INBOX").await;
    run(
        &mut other,
        &format!("UID STORE {} +FLAGS (\\Flagged)", target.uid),
    )
    .await;

    // The poll interval is 5 minutes: only IDLE can bring this before the guard.
    tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            syncs.recv().await.expect("watching").expect("sync ok");
            let now = engine.store().summary(target.id).expect("still cached");
            if now.flagged {
                break;
            }
        }
    })
    .await
    .expect("the flag came through IDLE");
    stop_tx.send(true).expect("stop");
    watcher.await.expect("joined").expect("watch ended cleanly");
}

#[tokio::test(flavor = "multi_thread")]
async fn moves_deletions_and_a_recreated_folder_on_the_server_reach_the_cache() {
    let servers = Servers::start();
    servers.seed("bob", None, 30, now()).expect("seed INBOX");
    servers
        .seed("bob", Some("Projets"), 10, now())
        .expect("seed Projets");
    let (engine, _dir) = engine(servers.secrets());
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob");
    engine.sync(&bob.email).await.expect("first sync");
    let inbox = folder(&engine, &bob.email, "INBOX").await;
    let (moved, deleted) = (inbox[0].clone(), inbox[1].clone());

    let mut other = servers.other_client(&bob).await;
    run(&mut other, "SELECT INBOX").await;
    run(&mut other, &format!("UID MOVE {} Archive", moved.uid)).await;
    run(
        &mut other,
        &format!("UID STORE {} +FLAGS (\\Deleted)", deleted.uid),
    )
    .await;
    run(&mut other, &format!("UID EXPUNGE {}", deleted.uid)).await;
    run(&mut other, "SELECT Archive").await;
    // Projets is deleted and made again: a new UIDVALIDITY, other messages.
    run(&mut other, "DELETE Projets").await;
    run(&mut other, "CREATE Projets").await;
    let fresh = "From: a@example.test\r\nSubject: fresh start\r\nMessage-ID: <fresh@example.test>\r\n\r\nhi\r\n";
    other
        .append("Projets", None, None, fresh.as_bytes())
        .await
        .expect("append");

    let report = engine.sync(&bob.email).await.expect("second sync");
    assert_eq!(report.total_cached, 30 - 1 + 1);
    let inbox_ids: Vec<_> = folder(&engine, &bob.email, "INBOX")
        .await
        .into_iter()
        .map(|m| m.message_id)
        .collect();
    assert_eq!(inbox_ids.len(), 28);
    assert!(!inbox_ids.contains(&moved.message_id) && !inbox_ids.contains(&deleted.message_id));
    let archive = folder(&engine, &bob.email, "Archive").await;
    assert_eq!(archive.len(), 1);
    assert_eq!(archive[0].message_id, moved.message_id);
    assert!(archive[0].thread_id.is_some());
    let projets = folder(&engine, &bob.email, "Projets").await;
    assert_eq!(
        projets
            .iter()
            .map(|m| m.subject.as_str())
            .collect::<Vec<_>>(),
        ["fresh start"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn local_changes_reach_the_server_and_wait_while_it_is_down() {
    let servers = Servers::start();
    servers.seed("bob", None, 10, now()).expect("seed");
    let (engine, _dir) = engine(servers.secrets());
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob");
    engine.sync(&bob.email).await.expect("sync");
    let inbox = folder(&engine, &bob.email, "INBOX").await;
    let unread = inbox
        .iter()
        .find(|m| !m.seen)
        .expect("an unread message")
        .clone();
    let mut others = inbox.iter().filter(|m| m.id != unread.id).cloned();
    let (to_archive, to_trash) = (
        others.next().expect("a second"),
        others.next().expect("a third"),
    );

    // Online: applied at once, on the server too.
    assert_eq!(
        engine
            .act(to_archive.id, MessageAction::Archive)
            .await
            .expect("archive"),
        1
    );
    assert_eq!(
        engine
            .act(to_trash.id, MessageAction::Delete)
            .await
            .expect("delete"),
        1
    );
    let archived = folder(&engine, &bob.email, "Archive").await;
    assert_eq!(archived.len(), 1);
    assert!(archived[0].uid > 0, "the real UID came back with COPYUID");
    assert_eq!(folder(&engine, &bob.email, "Trash").await.len(), 1);

    // Down: the change is local at once and queued.
    servers.stop();
    assert_eq!(
        engine
            .act(unread.id, MessageAction::Seen(true))
            .await
            .expect("queued, not failed"),
        0
    );
    assert!(engine.store().summary(unread.id).expect("ok").seen);
    assert!(engine.sync(&bob.email).await.is_err());
    servers.start_again();

    let report = engine
        .sync(&bob.email)
        .await
        .expect("sync after the outage");
    assert_eq!(report.replayed, 1);
    assert!(
        engine.store().summary(unread.id).expect("ok").seen,
        "the server's state now agrees"
    );
    let mut other = servers.other_client(&bob).await;
    let mut flags = String::new();
    run(&mut other, "SELECT INBOX").await;
    raw::run(
        &mut other,
        &format!("UID FETCH {} (FLAGS)", unread.uid),
        ErrorKind::Protocol,
        |r| {
            flags = format!("{r:?}");
            Ok(())
        },
    )
    .await
    .expect("fetch");
    assert!(flags.contains("Seen"), "{flags}");
    let mut archive_count = 0;
    run(&mut other, "SELECT Archive").await;
    raw::run(&mut other, "UID SEARCH ALL", ErrorKind::Protocol, |r| {
        if let courriel_engine::imap::raw::Response::MailboxData(
            courriel_engine::imap::raw::MailboxDatum::Search(u),
        ) = r
        {
            archive_count = u.len();
        }
        Ok(())
    })
    .await
    .expect("search");
    assert_eq!(archive_count, 1);
    assert_eq!(report.total_cached, 10);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_cut_midway_converges_without_duplicates() {
    let servers = Servers::start();
    let seeded = servers.seed("bob", None, 1200, now()).expect("seed");
    let (engine, _dir) = engine(servers.secrets());
    let mut account = servers.account("bob");
    // Through a proxy that drops the link when the server has sent 60% of the mail's size:
    // after the first batch was cached, in the middle of a FETCH.
    let direct = account.incoming.port;
    account.incoming.port = proxy(direct, Cut::Downstream(seeded.bytes as usize * 6 / 10)).await;
    let bob = engine.add_account(account).await.expect("bob");
    let cut = engine.sync(&bob.email).await.expect_err("the link was cut");
    assert_eq!(cut.kind, ErrorKind::Network, "{cut}");
    let partial = folder(&engine, &bob.email, "INBOX").await.len();
    assert!(
        partial > 0 && partial < 1200,
        "{partial} cached before the cut"
    );

    // The next sync (the proxy is gone: a fresh one that does not cut) finishes the job.
    let port = proxy(direct, Cut::Downstream(usize::MAX)).await;
    engine
        .store()
        .set_incoming_port(bob.id, port)
        .expect("repoint");
    let report = engine.sync(&bob.email).await.expect("second sync");
    assert_eq!(report.new_messages as usize, 1200 - partial);
    let ids: Vec<_> = folder(&engine, &bob.email, "INBOX")
        .await
        .into_iter()
        .filter_map(|m| m.message_id)
        .collect();
    assert_eq!(ids.len(), 1200);
    assert_eq!(
        ids.iter().collect::<HashSet<_>>(),
        seeded.message_ids.iter().collect::<HashSet<_>>()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_local_change_to_a_message_changed_elsewhere_since_yields_to_the_server() {
    let servers = Servers::start();
    servers.seed("bob", None, 5, now()).expect("seed");
    let (engine, _dir) = engine(servers.secrets());
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob");
    engine.sync(&bob.email).await.expect("sync");
    let m = folder(&engine, &bob.email, "INBOX").await[0].clone();
    assert!(!m.flagged);

    // Another device flags it and marks it read after our last sync...
    let mut other = servers.other_client(&bob).await;
    run(&mut other, "SELECT INBOX").await;
    run(
        &mut other,
        &format!("UID STORE {} +FLAGS (\\Flagged \\Seen)", m.uid),
    )
    .await;
    // ...then we mark it unread, from the stale state: UNCHANGEDSINCE refuses it.
    assert_eq!(
        engine
            .act(m.id, MessageAction::Seen(false))
            .await
            .expect("act"),
        0
    );
    let report = engine.sync(&bob.email).await.expect("sync");
    assert_eq!(report.replayed, 0);
    let now = engine.store().summary(m.id).expect("cached");
    assert!(
        now.seen && now.flagged,
        "the server's newer state won: {now:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_over_compress_deflate_caches_the_same_mail() {
    use courriel_engine::imap::sync::{sync_account, Left, SyncCtx};
    let servers = Servers::start();
    let seeded = servers.seed("bob", None, 300, now()).expect("seed");
    let (engine, _dir) = engine(servers.secrets());
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob");
    engine
        .set_body_window(&bob.email, None)
        .await
        .expect("every body");

    // The engine leaves COMPRESS off on loopback (it would only cost CPU): turn it on by
    // hand, as it is for a remote server, and sync through it.
    let mut session = servers.other_client(&bob).await;
    let caps = raw::negotiate(&mut session).await.expect("capabilities");
    assert!(caps.compress, "Dovecot offers COMPRESS=DEFLATE: {caps:?}");
    assert!(courriel_engine::imap::on_loopback(&session));
    let mut session = courriel_engine::imap::compress(session)
        .await
        .expect("compress");
    assert!(
        !courriel_engine::imap::on_loopback(&session),
        "the link is deflated now"
    );
    let quiet = |_: &SyncProgress| {};
    let ctx = SyncCtx {
        store: engine.shared_store(),
        account: &bob,
        caps: &caps,
        now: now(),
        progress: &quiet,
    };
    let synced = sync_account(&ctx, &mut session, false)
        .await
        .expect("compressed sync");
    assert_eq!(synced.report.new_messages, 300);
    assert_eq!(
        synced.left,
        Left::Other {
            home: "INBOX".into()
        },
        "it opened the other folders after INBOX: INBOX is the one to select again"
    );
    let cached = folder(&engine, &bob.email, "INBOX").await;
    let ids: HashSet<_> = cached.iter().filter_map(|m| m.message_id.clone()).collect();
    assert_eq!(
        ids,
        seeded.message_ids.iter().cloned().collect::<HashSet<_>>()
    );
    assert!(cached
        .iter()
        .all(|m| engine.store().has_body(m.id).expect("ok")));
    session.logout().await.expect("logout over DEFLATE");
}
