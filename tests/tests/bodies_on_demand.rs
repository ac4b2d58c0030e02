//! A body fetched on demand travels over the account's kept session (`imap::pool`), and
//! operations that arrive together take turns on it: a reader page whose hundreds of
//! parts are asked for at once, for a message older than the body window, costs no new
//! login (Dovecot's log counts them), not one per part.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use courriel_tests::{engine, Servers};

/// Successful IMAP logins of `email` so far, from Dovecot's log.
fn logins(servers: &Servers, email: &str) -> usize {
    let log = servers.state_dir().join("dovecot/dovecot.log");
    let needle = format!("imap-login: Info: Login: user=<{email}>");
    std::fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains(&needle))
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn three_hundred_parts_of_an_old_message_cost_no_new_login() {
    let servers = Servers::start();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    // A year old: outside the 30-day body window, so only its headers are cached.
    servers
        .seed("bob", None, 1, now - 365 * 86_400)
        .expect("seed");
    let (engine, _dir) = engine(servers.secrets());
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob");
    engine.sync(&bob.email).await.expect("sync");
    let id = engine.list_inbox(1).await.expect("list")[0].id;
    assert!(
        !engine.store().has_body(id).expect("has_body"),
        "the old message's body is not cached yet"
    );
    let before = logins(&servers, &bob.email);
    assert!(before >= 1, "the sync's login is in Dovecot's log");

    // What the reader's frame asks for at once: the page, and each of its parts (none of
    // which exists: the answer is "not found" every time, after the body came down once).
    let parts: Vec<String> = (0..300).map(|n| format!("cid:part{n}@x")).collect();
    let asks = parts.iter().map(|part| engine.attachment(id, part));
    let answers = futures::future::join_all(asks).await;
    for answer in &answers {
        let e = answer.as_ref().expect_err("no such part");
        assert_eq!(e.kind, courriel_engine::ErrorKind::NotFound, "{e}");
    }
    assert!(engine.store().has_body(id).expect("has_body"));

    tokio::time::sleep(Duration::from_millis(500)).await; // the log is written as it goes
    let new_logins = logins(&servers, &bob.email) - before;
    assert!(
        new_logins <= 1,
        "{new_logins} logins for one message's parts"
    );
}
