//! Folder management on Cyrus, whose folders live below the personal namespace prefix
//! (`INBOX.`, delimiter "."): a folder made at the top goes there too, in modified UTF-7,
//! shown without the prefix; renamed, it stays there; another client's LIST (plain and
//! SUBSCRIBED) sees each step.

use courriel_engine::imap::raw;
use courriel_engine::imap::ImapSession;
use courriel_engine::ErrorKind;
use courriel_tests::cyrus::Cyrus;
use courriel_tests::engine;

/// The names another client's LIST returns (`LIST (SUBSCRIBED)`: the subscribed ones).
async fn names(session: &mut ImapSession, command: &str) -> Vec<String> {
    let mut found = Vec::new();
    raw::run(session, command, ErrorKind::Protocol, |r| {
        if let raw::Response::MailboxData(raw::MailboxDatum::List(l)) = r {
            found.push(l.name.to_string());
        }
        Ok(())
    })
    .await
    .expect(command);
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn folders_are_made_below_the_personal_prefix() {
    let cyrus = Cyrus::start();
    let (engine, _dir) = engine(cyrus.secrets());
    let alice = engine
        .add_account(cyrus.account("alice"))
        .await
        .expect("alice");
    engine.sync(&alice.email).await.expect("sync");

    let made = engine
        .create_folder(&alice.email, None, "Réunions")
        .await
        .expect("create");
    assert_eq!(made.name, "INBOX.R&AOk-unions");
    assert_eq!(made.display_name, "Réunions");
    let mut other = cyrus.other_client(&alice).await;
    assert!(names(&mut other, "LIST \"\" \"*\"")
        .await
        .contains(&made.name));
    assert!(names(&mut other, "LIST (SUBSCRIBED) \"\" \"*\"")
        .await
        .contains(&made.name));

    let renamed = engine
        .rename_folder(&alice.email, "Réunions", "Réunions 2026")
        .await
        .expect("rename");
    assert_eq!(renamed.name, "INBOX.R&AOk-unions 2026");
    assert_eq!(renamed.display_name, "Réunions 2026");
    let listed = names(&mut other, "LIST \"\" \"*\"").await;
    assert!(listed.contains(&renamed.name), "{listed:?}");
    assert!(!listed.contains(&made.name), "{listed:?}");

    let sent = engine.delete_folder(&alice.email, "Sent").await;
    assert_eq!(sent.expect_err("INBOX.Sent stays").kind, ErrorKind::Config);
    engine
        .delete_folder(&alice.email, "Réunions 2026")
        .await
        .expect("delete");
    let listed = names(&mut other, "LIST \"\" \"*\"").await;
    assert!(!listed.iter().any(|n| n.contains("unions")), "{listed:?}");
    other.log_out().await;
    engine
        .sync(&alice.email)
        .await
        .expect("a sync after it all");
}
