//! Drafts on the server, against a real Dovecot: a draft being written is copied to the
//! Drafts folder (flagged \Draft, even without recipients yet), a new version replaces the
//! old copy, a round with nothing new connects to nothing, and a draft that was sent or
//! discarded leaves the folder. Another client (another device) sees exactly one copy.

use courriel_engine::api::{Account, Draft, LocalDraft};
use courriel_engine::Engine;
use courriel_tests::{engine, Servers};

/// What another device sees in Drafts: (all, flagged \Draft) and the subjects.
async fn drafts_on_server(servers: &Servers, account: &Account) -> (usize, usize, Vec<String>) {
    let mut other = servers.other_client(account).await;
    other.select("Drafts").await.expect("select Drafts");
    let all = other.uid_search("ALL").await.expect("search");
    let flagged = other.uid_search("DRAFT").await.expect("search");
    let mut subjects = Vec::new();
    if !all.is_empty() {
        let set: Vec<String> = all.iter().map(u32::to_string).collect();
        let mut fetched = other
            .uid_fetch(set.join(","), "BODY.PEEK[HEADER.FIELDS (SUBJECT)]")
            .await
            .expect("fetch");
        use futures::StreamExt;
        while let Some(f) = fetched.next().await {
            let f = f.expect("a fetch");
            let header = String::from_utf8_lossy(f.header().unwrap_or_default()).into_owned();
            subjects.push(header.trim().trim_start_matches("Subject: ").to_owned());
        }
    }
    other.logout().await.ok();
    (all.len(), flagged.len(), subjects)
}

/// A draft saved into Drafts by another client (another device), flagged \Draft.
async fn saved_by_another_client(servers: &Servers, account: &Account, message: &[u8]) {
    let mut other = servers.other_client(account).await;
    other
        .append("Drafts", Some("(\\Draft)"), None, message)
        .await
        .expect("append");
    other.logout().await.ok();
}

fn draft(key: &str, email: &str, subject: &str, to: &[&str], at: i64) -> LocalDraft {
    LocalDraft {
        key: key.into(),
        account_email: email.into(),
        draft: Draft {
            to: to.iter().map(|s| (*s).to_owned()).collect(),
            subject: subject.into(),
            body: "Half-written.".into(),
            ..Draft::default()
        },
        saved_at: at,
    }
}

async fn alice(servers: &Servers) -> (Engine, tempfile::TempDir, Account) {
    let (engine, dir) = engine(servers.secrets());
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("alice");
    engine
        .sync(&alice.email)
        .await
        .expect("first sync: the folders");
    (engine, dir, alice)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_draft_has_one_copy_in_drafts_until_it_leaves() {
    let servers = Servers::start();
    let (engine, _dir, alice) = alice(&servers).await;

    // Written, no recipient yet: copied anyway, flagged \Draft.
    let first = draft("draft-1", &alice.email, "Plans for Monday", &[], 1);
    engine.save_local_draft(first).await.expect("save");
    assert_eq!(engine.sync_drafts().await.expect("upload"), 1);
    assert_eq!(
        drafts_on_server(&servers, &alice).await,
        (1, 1, vec!["Plans for Monday".to_owned()])
    );

    // Nothing new: nothing to do.
    assert_eq!(engine.sync_drafts().await.expect("no change"), 0);

    // A new version replaces the old copy; another device sees one draft, the latest.
    let edited = draft(
        "draft-1",
        &alice.email,
        "Plans for Monday and Tuesday",
        &["bob@example.test"],
        2,
    );
    engine.save_local_draft(edited).await.expect("save again");
    assert_eq!(engine.sync_drafts().await.expect("upload again"), 1);
    assert_eq!(
        drafts_on_server(&servers, &alice).await,
        (1, 1, vec!["Plans for Monday and Tuesday".to_owned()])
    );

    // A second draft beside it; then the first is sent (it leaves the drafts): its copy goes,
    // the other stays.
    let other = draft("draft-2", &alice.email, "Other thoughts", &[], 3);
    engine
        .save_local_draft(other)
        .await
        .expect("save the other");
    engine.delete_local_draft("draft-1").await.expect("sent");
    assert_eq!(engine.sync_drafts().await.expect("upload and remove"), 2);
    assert_eq!(
        drafts_on_server(&servers, &alice).await,
        (1, 1, vec!["Other thoughts".to_owned()])
    );

    // The app's own cache sees the server's Drafts after a sync.
    engine.sync(&alice.email).await.expect("sync");
    let cached = engine
        .folder_messages(&alice.email, "drafts", 10)
        .await
        .expect("drafts");
    assert_eq!(cached.len(), 1);
    assert_eq!(cached[0].subject, "Other thoughts");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_draft_that_cannot_be_built_yet_waits_and_a_lost_upload_leaves_no_duplicate() {
    let servers = Servers::start();
    let (engine, _dir, alice) = alice(&servers).await;

    // An address being typed: not a message yet, it stays local (no error for the round).
    let typing = draft("draft-3", &alice.email, "To someone", &["bob@"], 1);
    engine.save_local_draft(typing).await.expect("save");
    assert_eq!(engine.sync_drafts().await.expect("round"), 0);
    assert_eq!(drafts_on_server(&servers, &alice).await.0, 0);

    // Typed in full: it goes.
    let typed = draft(
        "draft-3",
        &alice.email,
        "To someone",
        &["bob@example.test"],
        2,
    );
    engine.save_local_draft(typed).await.expect("save");
    assert_eq!(engine.sync_drafts().await.expect("round"), 1);

    // Another copy of the same draft is already there (an upload whose connection was lost
    // before it was recorded): the next version leaves exactly one.
    let copy = courriel_engine::mime::build::draft_copy(
        &alice,
        &draft(
            "draft-3",
            &alice.email,
            "To someone",
            &["bob@example.test"],
            2,
        )
        .draft,
        "draft-3",
    )
    .expect("copy");
    saved_by_another_client(&servers, &alice, &copy).await;
    assert_eq!(drafts_on_server(&servers, &alice).await.0, 2);
    let last = draft(
        "draft-3",
        &alice.email,
        "To someone, final",
        &["bob@example.test"],
        3,
    );
    engine.save_local_draft(last).await.expect("save");
    assert_eq!(engine.sync_drafts().await.expect("round"), 1);
    assert_eq!(
        drafts_on_server(&servers, &alice).await,
        (1, 1, vec!["To someone, final".to_owned()])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_draft_begun_on_another_device_is_continued_here() {
    let servers = Servers::start();
    let (engine, _dir, alice) = alice(&servers).await;
    let (phone, _phone_dir, _) = alice_on_another_device(&servers).await;

    // Begun in Courriel on the other device: continued under its key, not uploaded again
    // until it changes, then replacing the other device's copy.
    let begun = draft(
        "draft-77",
        &alice.email,
        "Begun on the phone",
        &["bob@example.test"],
        5,
    );
    phone.save_local_draft(begun).await.expect("save there");
    phone.sync_drafts().await.expect("upload there");
    engine.sync(&alice.email).await.expect("sync here");
    let id = drafts_here(&engine, &alice, "Begun on the phone").await;
    let here = engine.edit_draft(id).await.expect("edit");
    assert_eq!(here.key, "draft-77");
    assert_eq!(here.draft.to, ["bob@example.test"]);
    assert_eq!(engine.sync_drafts().await.expect("nothing new"), 0);
    let mut edited = here.clone();
    edited.draft.subject = "Finished at the desk".into();
    edited.saved_at += 1;
    engine.save_local_draft(edited).await.expect("save");
    assert_eq!(engine.sync_drafts().await.expect("upload"), 1);
    assert_eq!(
        drafts_on_server(&servers, &alice).await,
        (1, 1, vec!["Finished at the desk".to_owned()])
    );

    // Begun in another client (no Courriel key): continued as a new draft, the original to
    // Trash, and the draft back in Drafts after the next round.
    let foreign = "From: alice@example.test\r\nTo: carol@example.test\r\nSubject: From another client\r\n\r\nDraft text.\r\n";
    saved_by_another_client(&servers, &alice, foreign.as_bytes()).await;
    engine.sync(&alice.email).await.expect("sync");
    let id = drafts_here(&engine, &alice, "From another client").await;
    let taken = engine.edit_draft(id).await.expect("edit");
    assert_ne!(taken.key, "draft-77");
    assert_eq!(taken.draft.to, ["carol@example.test"]);
    assert_eq!(taken.draft.body.trim(), "Draft text.");
    assert_eq!(engine.sync_drafts().await.expect("upload"), 1);
    let (all, flagged, mut subjects) = drafts_on_server(&servers, &alice).await;
    subjects.sort();
    assert_eq!((all, flagged), (2, 2));
    assert_eq!(subjects, ["Finished at the desk", "From another client"]);
    engine.sync(&alice.email).await.expect("sync");
    let trash = engine
        .folder_messages(&alice.email, "trash", 10)
        .await
        .expect("trash");
    assert!(
        trash.iter().any(|m| m.subject == "From another client"),
        "the original is in Trash"
    );
}

/// The same account in another data directory: another device running Courriel.
async fn alice_on_another_device(servers: &Servers) -> (Engine, tempfile::TempDir, Account) {
    alice(servers).await
}

/// The cached message of the Drafts folder with this subject.
async fn drafts_here(engine: &Engine, alice: &Account, subject: &str) -> i64 {
    engine
        .folder_messages(&alice.email, "drafts", 10)
        .await
        .expect("drafts")
        .into_iter()
        .find(|m| m.subject == subject)
        .unwrap_or_else(|| panic!("{subject:?} is not in Drafts here"))
        .id
}
