//! How Courriel's IMAP sessions behave, read from Cyrus's log of each session: QRESYNC is
//! enabled once per session, before its first SELECT (RFC 5161 allows ENABLE only then),
//! and every session ends with LOGOUT, whether the engine lets it go during its work, when
//! it closes, or when a watch (IDLE) is stopped.

use std::time::{Duration, Instant};

use courriel_engine::api::{MessageAction, SyncReport};
use courriel_engine::mailbox::WatchOptions;
use courriel_tests::cyrus::Cyrus;
use courriel_tests::engine;

fn opens_a_folder(command: &str) -> bool {
    command.starts_with("SELECT ") || command.starts_with("EXAMINE ")
}

/// Wait up to 5 s for `check` to hold: a LOGOUT may be on its way from a background task.
fn eventually(what: &str, mut check: impl FnMut() -> Result<(), String>) {
    let start = Instant::now();
    loop {
        match check() {
            Ok(()) => return,
            Err(why) if start.elapsed() > Duration::from_secs(5) => panic!("{what}: {why}"),
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn qresync_is_enabled_once_per_session_before_its_first_select() {
    let cyrus = Cyrus::start();
    let (engine, dir) = engine(cyrus.secrets());
    let alice = engine
        .add_account(cyrus.account("alice"))
        .await
        .expect("alice");
    cyrus.deliver_numbered("alice", 2);
    // Six folders in one sync, then a second sync over the same (kept) session.
    engine.sync(&alice.email).await.expect("first sync");
    engine.sync(&alice.email).await.expect("second sync");
    drop(engine);
    // A new engine whose first work is a change: its SELECT comes first, then the sync.
    let engine = courriel_engine::Engine::open(dir.path(), cyrus.secrets()).expect("engine");
    let id = engine.list_inbox(10).await.expect("inbox")[0].id;
    engine
        .act(id, MessageAction::Flagged(true))
        .await
        .expect("flag");
    engine.sync(&alice.email).await.expect("third sync");
    drop(engine);

    let sessions = cyrus.courriel_sessions("alice");
    assert!(sessions.len() >= 2, "{sessions:#?}");
    for session in &sessions {
        let enables: Vec<usize> = (0..session.len())
            .filter(|i| session[*i].starts_with("ENABLE"))
            .collect();
        let first_open = session.iter().position(|c| opens_a_folder(c));
        assert_eq!(enables.len(), 1, "one ENABLE per session: {session:#?}");
        assert!(
            first_open.is_some_and(|at| enables[0] < at),
            "ENABLE before any SELECT: {session:#?}"
        );
    }
    let selects: usize = sessions
        .iter()
        .map(|s| s.iter().filter(|c| opens_a_folder(c)).count())
        .sum();
    assert!(selects >= 7, "several folders were opened: {sessions:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_session_ends_with_logout() {
    let cyrus = Cyrus::start();
    let (engine, _dir) = engine(cyrus.secrets());
    let alice = engine
        .add_account(cyrus.account("alice"))
        .await
        .expect("alice");
    cyrus.deliver_numbered("alice", 2);
    engine.sync(&alice.email).await.expect("sync");
    let id = engine.list_inbox(10).await.expect("inbox")[0].id;
    // The change runs on the kept session, which then has INBOX open read-write: the
    // next sync lets it go for a new one. The engine closing lets that one go.
    engine
        .act(id, MessageAction::Flagged(true))
        .await
        .expect("flag");
    engine.sync(&alice.email).await.expect("second sync");
    drop(engine);

    eventually("every Courriel session says LOGOUT", || {
        let sessions = cyrus.courriel_sessions("alice");
        if sessions.len() != 2 {
            return Err(format!("two sessions expected: {sessions:#?}"));
        }
        match sessions
            .iter()
            .find(|s| s.last().map(String::as_str) != Some("LOGOUT"))
        {
            Some(open) => Err(format!("no LOGOUT at the end of {open:#?}")),
            None => Ok(()),
        }
    });
}

#[tokio::test(flavor = "multi_thread")]
async fn a_watch_that_is_stopped_leaves_idle_and_logs_out() {
    let cyrus = Cyrus::start();
    let (engine, _dir) = engine(cyrus.secrets());
    let alice = engine
        .add_account(cyrus.account("alice"))
        .await
        .expect("alice");
    cyrus.deliver_numbered("alice", 1);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let on_sync = |r: courriel_engine::Result<SyncReport>| {
        r.expect("the watch's sync");
    };
    let watching = engine.watch(&alice.email, WatchOptions::default(), &on_sync, stopped);
    let stopper = async {
        // Stop once the session is in IDLE, as the app does when an account is removed.
        let idling = || {
            let sessions = cyrus.courriel_sessions("alice");
            sessions
                .last()
                .and_then(|s| s.last())
                .is_some_and(|c| c == "IDLE")
        };
        let start = Instant::now();
        while !idling() {
            assert!(start.elapsed() < Duration::from_secs(10), "never in IDLE");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        stop.send(true).expect("stop");
    };
    let (watched, ()) = tokio::join!(watching, stopper);
    watched.expect("the watch ends without an error");

    let sessions = cyrus.courriel_sessions("alice");
    assert_eq!(sessions.len(), 1, "{sessions:#?}");
    let end: Vec<&str> = sessions[0]
        .iter()
        .rev()
        .take(3)
        .rev()
        .map(String::as_str)
        .collect();
    assert_eq!(end, ["IDLE", "DONE", "LOGOUT"], "{sessions:#?}");
}
