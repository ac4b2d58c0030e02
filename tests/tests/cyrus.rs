//! Cyrus IMAP, the second real server: what was delivered there reaches the cache.

use courriel_tests::cyrus::Cyrus;
use courriel_tests::engine;

#[tokio::test(flavor = "multi_thread")]
async fn mail_delivered_to_cyrus_is_synced() {
    let cyrus = Cyrus::start();
    let (engine, _dir) = engine(cyrus.secrets());
    let alice = engine
        .add_account(cyrus.account("alice"))
        .await
        .expect("alice");
    for n in 1..=3 {
        let raw = format!(
            "From: Bob <bob@example.test>\r\nTo: alice@example.test\r\n\
             Subject: cyrus {n}\r\nDate: Mon, 1 Jan 2024 10:0{n}:00 +0000\r\n\
             Message-ID: <cyrus-{n}@example.test>\r\n\r\nbody {n}\r\n"
        );
        cyrus.deliver("alice", raw.as_bytes());
    }
    let report = engine.sync(&alice.email).await.expect("sync");
    assert_eq!(report.total_cached, 3, "{report:?}");
    let mut subjects: Vec<_> = engine
        .list_inbox(100)
        .await
        .expect("list")
        .into_iter()
        .map(|m| m.subject)
        .collect();
    subjects.sort();
    assert_eq!(subjects, ["cyrus 1", "cyrus 2", "cyrus 3"]);
}
