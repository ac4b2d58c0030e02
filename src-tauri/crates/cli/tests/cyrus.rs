//! The CLI against Cyrus, whose folders live under `INBOX.`: `courriel move <id> archive`
//! finds `INBOX.Archive`, the server has the message there, and each run's IMAP session
//! ends with LOGOUT when the process is done.

mod common;

use std::path::Path;

use courriel_engine::Engine;
use courriel_tests::cyrus::{self, Cyrus};
use serde_json::Value;

fn courriel(dir: &Path, cyrus: &Cyrus, args: &[&str]) -> Value {
    common::json(dir, cyrus.get("ALICE_PASSWORD"), args)
}

#[tokio::test(flavor = "multi_thread")]
async fn move_to_archive_by_its_role_from_the_command_line() {
    let cyrus = Cyrus::start();
    let dir = tempfile::tempdir().expect("data dir");
    let alice = Engine::open(dir.path(), cyrus.secrets())
        .expect("engine")
        .add_account(cyrus.account("alice"))
        .await
        .expect("alice");
    cyrus.deliver_numbered("alice", 2);
    let dir = dir.path();
    let sync = courriel(dir, &cyrus, &["sync", "--account", &alice.email, "--json"]);
    assert_eq!(sync["newMessages"], 2);
    let list = courriel(dir, &cyrus, &["list", "--json"]);
    let id = list[0]["id"].as_i64().expect("an id").to_string();

    let moved = courriel(dir, &cyrus, &["move", &id, "archive", "--json"]);
    assert_eq!(moved[0]["folder"], "INBOX.Archive");
    let args = [
        "list",
        "--account",
        &alice.email,
        "--folder",
        "Archive",
        "--json",
    ];
    let archive = courriel(dir, &cyrus, &args);
    assert_eq!(archive[0]["id"].to_string(), id);
    let folders = courriel(
        dir,
        &cyrus,
        &["folders", "--account", &alice.email, "--json"],
    );
    let archive = folders
        .as_array()
        .expect("folders")
        .iter()
        .find(|f| f["name"] == "INBOX.Archive")
        .expect("INBOX.Archive");
    assert_eq!(archive["displayName"], "Archive");

    let mut other = cyrus.other_client(&alice).await;
    assert_eq!(cyrus::uids(&mut other, "INBOX.Archive").await.len(), 1);
    assert_eq!(cyrus::uids(&mut other, "INBOX").await.len(), 1);
    other.log_out().await;
    // Each command's process logged out as it ended (sync; move, which replays).
    let sessions = cyrus.courriel_sessions("alice");
    assert_eq!(sessions.len(), 2, "{sessions:#?}");
    for session in &sessions {
        assert_eq!(
            session.last().map(String::as_str),
            Some("LOGOUT"),
            "{session:#?}"
        );
    }
}
