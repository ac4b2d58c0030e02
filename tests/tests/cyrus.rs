//! Cyrus IMAP, the second real server: what was delivered there reaches the cache; flags
//! go both ways between Courriel and another client; a later sync learns another
//! client's changes from the SELECT itself (QRESYNC).

use courriel_engine::api::{MessageAction, MessageSummary};
use courriel_engine::Engine;
use courriel_tests::cyrus::{self, Cyrus};
use courriel_tests::engine;

async fn inbox(engine: &Engine) -> Vec<MessageSummary> {
    let mut list = engine.list_inbox(100).await.expect("list");
    list.sort_by(|a, b| a.subject.cmp(&b.subject));
    list
}

#[tokio::test(flavor = "multi_thread")]
async fn mail_delivered_to_cyrus_is_synced() {
    let cyrus = Cyrus::start();
    let (engine, _dir) = engine(cyrus.secrets());
    let alice = engine
        .add_account(cyrus.account("alice"))
        .await
        .expect("alice");
    cyrus.deliver_numbered("alice", 3);
    let report = engine.sync(&alice.email).await.expect("sync");
    assert_eq!(report.total_cached, 3, "{report:?}");
    let subjects: Vec<_> = inbox(&engine)
        .await
        .into_iter()
        .map(|m| m.subject)
        .collect();
    assert_eq!(subjects, ["cyrus 1", "cyrus 2", "cyrus 3"]);
    // Every special-use folder was listed and synced, under the names people use.
    let folders = engine.folders(&alice.email).await.expect("folders");
    let mut shown: Vec<_> = folders.iter().map(|f| f.display_name.as_str()).collect();
    shown.sort_unstable();
    assert_eq!(
        shown,
        ["Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn flags_set_here_reach_another_client_and_come_back_changed() {
    let cyrus = Cyrus::start();
    let (engine, _dir) = engine(cyrus.secrets());
    let alice = engine
        .add_account(cyrus.account("alice"))
        .await
        .expect("alice");
    cyrus.deliver_numbered("alice", 2);
    engine.sync(&alice.email).await.expect("sync");
    let first = inbox(&engine).await.remove(0);
    assert!(!first.seen && !first.flagged, "{first:?}");

    engine
        .act(first.id, MessageAction::Seen(true))
        .await
        .expect("seen");
    engine
        .act(first.id, MessageAction::Flagged(true))
        .await
        .expect("flagged");
    let mut other = cyrus.other_client(&alice).await;
    let uids = cyrus::uids(&mut other, "INBOX").await;
    assert_eq!(uids.len(), 2);
    let flags = cyrus::flags(&mut other, uids[0]).await;
    assert!(
        flags.iter().any(|f| f == "\\Seen") && flags.iter().any(|f| f == "\\Flagged"),
        "another client sees {flags:?}"
    );

    // The other client takes the flag off and marks the second message read.
    cyrus::run(
        &mut other,
        &format!("UID STORE {} -FLAGS (\\Flagged)", uids[0]),
    )
    .await;
    cyrus::run(
        &mut other,
        &format!("UID STORE {} +FLAGS (\\Seen)", uids[1]),
    )
    .await;
    other.log_out().await;
    engine.sync(&alice.email).await.expect("second sync");
    let now = inbox(&engine).await;
    assert!(now[0].seen && !now[0].flagged, "{:?}", now[0]);
    assert!(now[1].seen && !now[1].flagged, "{:?}", now[1]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_sync_learns_another_clients_changes_through_qresync() {
    let cyrus = Cyrus::start();
    let (engine, _dir) = engine(cyrus.secrets());
    let alice = engine
        .add_account(cyrus.account("alice"))
        .await
        .expect("alice");
    cyrus.deliver_numbered("alice", 3);
    engine.sync(&alice.email).await.expect("first sync");
    let qresync_selects = || {
        cyrus
            .courriel_sessions("alice")
            .concat()
            .into_iter()
            .filter(|c| c.starts_with("SELECT \"INBOX\" (QRESYNC ("))
            .count()
    };
    assert_eq!(qresync_selects(), 0, "nothing known yet: a plain SELECT");

    // Another client flags one message and deletes another.
    let mut other = cyrus.other_client(&alice).await;
    let uids = cyrus::uids(&mut other, "INBOX").await;
    cyrus::run(
        &mut other,
        &format!("UID STORE {} +FLAGS (\\Flagged)", uids[0]),
    )
    .await;
    cyrus::run(
        &mut other,
        &format!("UID STORE {} +FLAGS (\\Deleted)", uids[1]),
    )
    .await;
    cyrus::run(&mut other, "EXPUNGE").await;
    other.log_out().await;

    let report = engine.sync(&alice.email).await.expect("second sync");
    assert_eq!((report.new_messages, report.total_cached), (0, 2));
    let now = inbox(&engine).await;
    let subjects: Vec<_> = now.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects, ["cyrus 1", "cyrus 3"]);
    assert!(now[0].flagged && !now[1].flagged, "{now:?}");
    assert_eq!(
        qresync_selects(),
        1,
        "{:#?}",
        cyrus.courriel_sessions("alice")
    );
}
