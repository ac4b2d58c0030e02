//! Folder management against the real Dovecot: what Courriel creates, renames and
//! deletes is what `doveadm mailbox list` shows (subscriptions included), non-ASCII
//! names go through modified UTF-7, a renamed folder keeps its cached messages (same ids,
//! before and after the next sync), subfolders follow, special-use folders stay.

use courriel_engine::api::MessageAction;
use courriel_engine::ErrorKind;
use courriel_tests::{engine, Servers};

fn mailboxes(servers: &Servers, user: &str, subscribed: bool) -> Vec<String> {
    let mut args = vec!["mailbox", "list", "-u", user];
    if subscribed {
        args.push("-s");
    }
    let out = servers.doveadm(&args).expect("doveadm mailbox list");
    out.lines().map(|l| l.trim().to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn folders_are_made_renamed_and_deleted_on_the_server() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("alice");
    let raw = "From: Zoe <zoe@example.test>\r\nTo: alice@example.test\r\nSubject: Agenda\r\n\
               Date: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <agenda@example.test>\r\n\r\nHi\r\n";
    servers.deliver_raw("alice", "agenda-1", raw.as_bytes());
    engine.sync(&alice.email).await.expect("sync");

    let made = engine
        .create_folder(&alice.email, None, "Réunions")
        .await
        .expect("create");
    assert_eq!(
        (made.name.as_str(), made.display_name.as_str()),
        ("R&AOk-unions", "Réunions")
    );
    assert!(mailboxes(&servers, &alice.email, false).contains(&"Réunions".to_owned()));
    assert!(
        mailboxes(&servers, &alice.email, true).contains(&"Réunions".to_owned()),
        "subscribed"
    );
    let child = engine
        .create_folder(&alice.email, Some("Réunions"), "Comptes rendus")
        .await
        .expect("create inside");
    assert_eq!(child.display_name, "Réunions/Comptes rendus");

    // A message moved in, then the folder renamed: the same cached message.
    let id = engine.inbox_ids().await.expect("inbox")[0];
    engine
        .act(id, MessageAction::Move("Réunions".into()))
        .await
        .expect("move");
    let renamed = engine
        .rename_folder(&alice.email, "Réunions", "Réunions 2026")
        .await
        .expect("rename");
    assert_eq!(renamed.id, made.id, "the same folder row");
    assert_eq!(renamed.display_name, "Réunions 2026");
    let listed = mailboxes(&servers, &alice.email, false);
    assert!(listed.contains(&"Réunions 2026".to_owned()), "{listed:?}");
    assert!(
        listed.contains(&"Réunions 2026/Comptes rendus".to_owned()),
        "{listed:?}"
    );
    assert!(!listed.contains(&"Réunions".to_owned()), "{listed:?}");
    let subscribed = mailboxes(&servers, &alice.email, true);
    assert!(
        subscribed.contains(&"Réunions 2026".to_owned()),
        "{subscribed:?}"
    );
    assert!(
        !subscribed.contains(&"Réunions".to_owned()),
        "{subscribed:?}"
    );
    let ids = engine
        .folder_ids(&alice.email, "Réunions 2026")
        .await
        .expect("ids");
    assert_eq!(ids, [id], "the cached message stayed with its folder");
    engine
        .sync(&alice.email)
        .await
        .expect("sync after the rename");
    let ids = engine
        .folder_ids(&alice.email, "Réunions 2026")
        .await
        .expect("ids");
    assert_eq!(ids, [id], "and is still the same message after a sync");
    let folders = engine.folders(&alice.email).await.expect("folders");
    assert!(folders
        .iter()
        .any(|f| f.display_name == "Réunions 2026/Comptes rendus"));

    // Special-use folders and folders with subfolders stay.
    let sent = engine.rename_folder(&alice.email, "Sent", "Envoyés").await;
    assert_eq!(sent.expect_err("Sent stays").kind, ErrorKind::Config);
    let inbox = engine.delete_folder(&alice.email, "INBOX").await;
    assert_eq!(inbox.expect_err("INBOX stays").kind, ErrorKind::Config);
    let parent = engine.delete_folder(&alice.email, "Réunions 2026").await;
    assert!(parent
        .expect_err("has a child")
        .message
        .contains("subfolders"));

    engine
        .delete_folder(&alice.email, "Réunions 2026/Comptes rendus")
        .await
        .expect("delete the child");
    engine
        .delete_folder(&alice.email, "Réunions 2026")
        .await
        .expect("delete");
    let listed = mailboxes(&servers, &alice.email, false);
    assert!(
        !listed.iter().any(|m| m.starts_with("Réunions")),
        "{listed:?}"
    );
    let folders = engine.folders(&alice.email).await.expect("folders");
    assert!(!folders
        .iter()
        .any(|f| f.display_name.starts_with("Réunions")));
    engine
        .sync(&alice.email)
        .await
        .expect("a sync after it all");
}
