//! IMAP sync against the real Dovecot: changes made by another client (flags, deletions)
//! reach the cache on the next sync.

use courriel_engine::api::{Draft, MessageAction};
use courriel_engine::auth::secrets::Secret;
use courriel_tests::{engine, Servers};
use futures::TryStreamExt;

#[tokio::test(flavor = "multi_thread")]
async fn flags_and_deletions_from_another_client_reach_the_cache() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("alice");
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob");
    for subject in ["keep", "delete"] {
        let draft = Draft {
            to: vec![bob.email.clone()],
            subject: subject.into(),
            body: "x".into(),
            ..Default::default()
        };
        engine.send(&alice.email, draft).await.expect("send");
    }
    servers.wait_for_delivery();
    let first = engine.sync(&bob.email).await.expect("sync");
    assert_eq!(first.total_cached, 2);
    let cached = engine.list_inbox(10).await.expect("list");
    let uid = |s: &str| cached.iter().find(|m| m.subject == s).expect("cached").uid;
    assert!(cached.iter().all(|m| !m.seen && !m.flagged));

    // Another client: reads and flags one, deletes the other.
    let mut other = servers.other_client(&bob).await;
    other.select("INBOX").await.expect("select");
    let _: Vec<_> = other
        .uid_store(uid("keep").to_string(), "+FLAGS (\\Seen \\Flagged)")
        .await
        .expect("store")
        .try_collect()
        .await
        .expect("store replies");
    let _: Vec<_> = other
        .uid_store(uid("delete").to_string(), "+FLAGS (\\Deleted)")
        .await
        .expect("store")
        .try_collect()
        .await
        .expect("store replies");
    let _: Vec<_> = other
        .expunge()
        .await
        .expect("expunge")
        .try_collect()
        .await
        .expect("expunged");
    other.logout().await.expect("logout");

    let second = engine.sync(&bob.email).await.expect("sync again");
    assert_eq!((second.new_messages, second.total_cached), (0, 1));
    let after = engine.list_inbox(10).await.expect("list");
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].subject, "keep");
    assert!(after[0].seen && after[0].flagged, "{:?}", after[0]);
}

#[tokio::test(flavor = "multi_thread")]
async fn folders_come_with_roles_decoded_names_and_counts() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob");
    let mut other = servers.other_client(&bob).await;
    other
        .create("R&AOk-unions")
        .await
        .expect("create a non-ASCII folder");
    other.logout().await.expect("logout");
    engine.sync(&bob.email).await.expect("sync");
    let folders = engine.folders(&bob.email).await.expect("folders");
    let role = |r: &str| {
        folders
            .iter()
            .find(|f| f.role.as_deref() == Some(r))
            .map(|f| f.display_name.as_str())
    };
    assert_eq!(role("inbox"), Some("INBOX"));
    for (r, name) in [
        ("sent", "Sent"),
        ("drafts", "Drafts"),
        ("trash", "Trash"),
        ("junk", "Junk"),
        ("archive", "Archive"),
    ] {
        assert_eq!(role(r), Some(name), "{folders:?}");
    }
    let own = folders
        .iter()
        .find(|f| f.name == "R&AOk-unions")
        .expect("the new folder");
    assert_eq!(own.display_name, "Réunions");
    assert_eq!(own.role, None);
    assert_eq!(folders[0].role.as_deref(), Some("inbox"), "inbox first");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_imap_mechanism_logs_in_and_a_bad_secret_is_an_auth_error() {
    use courriel_engine::imap::connect_with;
    use courriel_engine::net::sasl::Mechanism;
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob");
    let password = Secret::Password(servers.get("BOB_PASSWORD").into());
    let token = Secret::OAuth2Token(servers.get("BOB_TOKEN").into());
    let cases = [
        (Some(Mechanism::ScramSha256), &password),
        (Some(Mechanism::CramMd5), &password),
        (Some(Mechanism::Plain), &password),
        (Some(Mechanism::Login), &password),
        (Some(Mechanism::OAuthBearer), &token),
        (Some(Mechanism::XOAuth2), &token),
        (None, &password),
        (None, &token),
    ];
    for (mechanism, secret) in cases {
        let mut session = connect_with(&bob, secret, mechanism)
            .await
            .unwrap_or_else(|e| panic!("{mechanism:?}: {e}"));
        session.select("INBOX").await.expect("a working session");
        session.logout().await.expect("logout");
    }
    let wrong = Secret::Password("not the password".into());
    for mechanism in [
        Mechanism::ScramSha256,
        Mechanism::CramMd5,
        Mechanism::Plain,
        Mechanism::Login,
    ] {
        let e = connect_with(&bob, &wrong, Some(mechanism))
            .await
            .expect_err("a wrong password");
        assert_eq!(
            e.kind,
            courriel_engine::ErrorKind::Auth,
            "{mechanism:?}: {e}"
        );
    }
    let revoked = Secret::OAuth2Token("revoked-token".into());
    let e = connect_with(&bob, &revoked, Some(Mechanism::OAuthBearer))
        .await
        .expect_err("a bad token");
    assert_eq!(e.kind, courriel_engine::ErrorKind::Auth, "{e}");
}

/// The engine keeps its IMAP session open between operations (imap::pool): the next sync
/// and a flag change are served by the first sync's Dovecot process; a session the server
/// ended is noticed and replaced, and the change still reaches the server.
#[tokio::test(flavor = "multi_thread")]
async fn the_session_is_kept_between_operations_and_replaced_when_the_server_ends_it() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("alice");
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob");
    let draft = Draft {
        to: vec![bob.email.clone()],
        subject: "kept".into(),
        body: "x".into(),
        ..Default::default()
    };
    engine.send(&alice.email, draft).await.expect("send");
    servers.wait_for_delivery();
    // `doveadm who -1`: one line per session, "user proto pid ip".
    let pids = || -> Vec<String> {
        let who = servers.doveadm(&["who", "-1", &bob.email]).expect("who");
        who.lines()
            .filter(|l| l.split_whitespace().nth(1) == Some("imap"))
            .filter_map(|l| l.split_whitespace().nth(2).map(str::to_owned))
            .collect()
    };
    engine.sync(&bob.email).await.expect("sync");
    let id = engine.list_inbox(1).await.expect("list")[0].id;
    let after_sync = pids();
    assert_eq!(after_sync.len(), 1, "the sync's session stays open");
    // It ended with INBOX selected, ready for the next sync, which takes it.
    engine.sync(&bob.email).await.expect("sync again");
    assert_eq!(pids(), after_sync, "the next sync over the same session");

    let sent = engine
        .act(id, MessageAction::Flagged(true))
        .await
        .expect("flag");
    assert_eq!(sent, 1, "the flag reached the server");
    assert_eq!(pids(), after_sync, "over the same session, no new login");

    servers.doveadm(&["kick", &bob.email]).expect("kick");
    let sent = engine
        .act(id, MessageAction::Seen(true))
        .await
        .expect("mark read after the kick");
    assert_eq!(sent, 1, "a new session carried the change");
    let now = pids();
    assert!(
        now.iter().any(|p| !after_sync.contains(p)),
        "a new session replaced the one the server ended: {now:?}"
    );
    // Both changes are the server's state: the second was guarded with the MODSEQ the
    // first one produced, not taken for someone else's change and dropped.
    engine.sync(&bob.email).await.expect("sync");
    let m = &engine.list_inbox(1).await.expect("list")[0];
    assert!(m.flagged && m.seen, "{m:?}");
}
