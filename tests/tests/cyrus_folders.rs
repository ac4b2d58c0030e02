//! Folders as people name them, on Cyrus, whose folders live under the personal namespace
//! prefix (`INBOX.Archive`): shown without it, and found by the server's name, the name
//! shown (in any case) or their role, for listing and for moving mail.

use courriel_engine::api::{MessageAction, MessageSummary};
use courriel_engine::{Engine, ErrorKind};
use courriel_tests::cyrus::{self, Cyrus};
use courriel_tests::engine;

async fn listed(engine: &Engine, email: &str, folder: &str) -> Vec<String> {
    let list = engine
        .folder_messages(email, folder, 100)
        .await
        .unwrap_or_else(|e| panic!("list {folder}: {e}"));
    let mut subjects: Vec<String> = list.into_iter().map(|m| m.subject).collect();
    subjects.sort();
    subjects
}

async fn inbox(engine: &Engine) -> Vec<MessageSummary> {
    let mut list = engine.list_inbox(100).await.expect("inbox");
    list.sort_by(|a, b| a.subject.cmp(&b.subject));
    list
}

#[tokio::test(flavor = "multi_thread")]
async fn folders_are_shown_and_found_without_the_namespace_prefix() {
    let cyrus = Cyrus::start();
    let (engine, _dir) = engine(cyrus.secrets());
    let alice = engine
        .add_account(cyrus.account("alice"))
        .await
        .expect("alice");
    let mut other = cyrus.other_client(&alice).await;
    cyrus::run(&mut other, "CREATE INBOX.Projets").await;
    other.log_out().await;
    engine.sync(&alice.email).await.expect("sync");

    let folders = engine.folders(&alice.email).await.expect("folders");
    let shown = |name: &str| {
        folders
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.display_name.as_str())
    };
    assert_eq!(shown("INBOX"), Some("INBOX"));
    assert_eq!(shown("INBOX.Sent"), Some("Sent"));
    assert_eq!(shown("INBOX.Archive"), Some("Archive"));
    assert_eq!(shown("INBOX.Projets"), Some("Projets"));

    for name in [
        "INBOX.Archive",
        "Archive",
        "archive",
        "ARCHIVE",
        "Projets",
        "projets",
    ] {
        assert!(
            listed(&engine, &alice.email, name).await.is_empty(),
            "{name}"
        );
    }
    let missing = engine
        .folder_messages(&alice.email, "Reçus", 10)
        .await
        .expect_err("no such folder");
    assert_eq!(missing.kind, ErrorKind::NotFound);
    assert!(missing.message.contains("Projets"), "{}", missing.message);
}

#[tokio::test(flavor = "multi_thread")]
async fn mail_moves_to_a_folder_named_by_role_or_by_plain_name() {
    let cyrus = Cyrus::start();
    let (engine, _dir) = engine(cyrus.secrets());
    let alice = engine
        .add_account(cyrus.account("alice"))
        .await
        .expect("alice");
    let mut other = cyrus.other_client(&alice).await;
    cyrus::run(&mut other, "CREATE INBOX.Projets").await;
    cyrus.deliver_numbered("alice", 4);
    engine.sync(&alice.email).await.expect("sync");
    let ids: Vec<i64> = inbox(&engine).await.iter().map(|m| m.id).collect();

    // As people type them: a role, the name shown, another case, the server's name.
    for (id, folder) in ids
        .iter()
        .zip(["archive", "Archive", "projets", "INBOX.Trash"])
    {
        engine
            .act(*id, MessageAction::Move(folder.into()))
            .await
            .unwrap_or_else(|e| panic!("move to {folder}: {e}"));
    }
    let in_archive = ["cyrus 1", "cyrus 2"];
    assert_eq!(listed(&engine, &alice.email, "archive").await, in_archive);
    assert_eq!(listed(&engine, &alice.email, "Projets").await, ["cyrus 3"]);
    assert_eq!(listed(&engine, &alice.email, "trash").await, ["cyrus 4"]);

    // The server has them there: another client, and a sync.
    assert_eq!(cyrus::uids(&mut other, "INBOX.Archive").await.len(), 2);
    assert_eq!(cyrus::uids(&mut other, "INBOX.Projets").await.len(), 1);
    assert_eq!(cyrus::uids(&mut other, "INBOX.Trash").await.len(), 1);
    assert!(cyrus::uids(&mut other, "INBOX").await.is_empty());
    other.log_out().await;
    let report = engine.sync(&alice.email).await.expect("sync again");
    assert_eq!(report.total_cached, 4);
    assert_eq!(
        listed(&engine, &alice.email, "INBOX.Archive").await,
        in_archive
    );
    assert!(inbox(&engine).await.is_empty());
}
