//! Bulk actions against a real Dovecot: one command per folder however many messages (the
//! engine's own command log counts them), a second client sees the result, and Undo puts
//! the messages back, on the server too; offline, Undo drops the queued move and nothing
//! is ever sent. Junk marks `$Junk` (Dovecot keeps any keyword: PERMANENTFLAGS `\*`).

use courriel_engine::api::{Account, MessageAction, MessageSummary};
use courriel_engine::imap::{fetch, raw, ImapSession};
use courriel_engine::{Engine, ErrorKind};
use courriel_tests::{engine, Servers};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

async fn folder(engine: &Engine, email: &str, name: &str) -> Vec<MessageSummary> {
    engine
        .folder_messages(email, name, 100_000)
        .await
        .expect("folder")
}

/// The commands the engine sent from `from` on that start with `verb`.
fn sent(engine: &Engine, from: usize, verb: &str) -> Vec<String> {
    engine.imap_commands()[from..]
        .iter()
        .filter(|c| c.starts_with(verb))
        .cloned()
        .collect()
}

/// What a second client sees in `name`: each message's flags, by UID.
async fn seen_by_other(other: &mut ImapSession, name: &str) -> Vec<(u32, Vec<String>)> {
    raw::run_ok(
        other,
        &format!("EXAMINE {}", raw::quote(name)),
        ErrorKind::Protocol,
    )
    .await
    .expect("examine");
    let mut found = Vec::new();
    raw::run(other, "UID FETCH 1:* (FLAGS)", ErrorKind::Protocol, |r| {
        if let Some(f) = fetch::parse(r) {
            found.push((f.uid, f.flags.unwrap_or_default()));
        }
        Ok(())
    })
    .await
    .expect("fetch flags");
    found.sort();
    found
}

async fn setup(
    servers: &Servers,
    inbox: usize,
    work: usize,
) -> (Engine, tempfile::TempDir, Account) {
    servers.seed("bob", None, inbox, now()).expect("seed INBOX");
    if work > 0 {
        servers
            .seed("bob", Some("Work"), work, now())
            .expect("seed Work");
    }
    let (engine, dir) = engine(servers.secrets());
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob");
    engine.sync(&bob.email).await.expect("sync");
    (engine, dir, bob)
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_messages_in_two_folders_take_one_command_per_folder_and_undo_brings_them_back() {
    let servers = Servers::start();
    let (engine, _dir, bob) = setup(&servers, 30, 20).await;
    let (inbox, work) = (
        folder(&engine, &bob.email, "INBOX").await,
        folder(&engine, &bob.email, "Work").await,
    );
    // Picked in the list's order, the two folders mixed as a selection across them would.
    let mut ids: Vec<i64> = inbox.iter().chain(&work).map(|m| m.id).collect();
    ids.sort_by_key(|id| id % 7);
    assert_eq!(ids.len(), 50);

    let start = engine.imap_commands().len();
    let read = engine
        .act_many(ids.clone(), MessageAction::Seen(true))
        .await
        .expect("mark read");
    assert_eq!((read.changed, read.replayed, read.undo.len()), (50, 50, 0));
    assert_eq!(
        sent(&engine, start, "UID STORE").len(),
        2,
        "{:?}",
        engine.imap_commands()
    );

    let start = engine.imap_commands().len();
    let archived = engine
        .act_many(ids.clone(), MessageAction::Archive)
        .await
        .expect("archive");
    assert_eq!((archived.changed, archived.replayed), (50, 50));
    assert_eq!(archived.undo.len(), 50);
    let moves = sent(&engine, start, "UID MOVE");
    assert_eq!(moves.len(), 2, "one MOVE per folder: {moves:?}");
    assert!(sent(&engine, start, "UID STORE").is_empty());

    let mut other = servers.other_client(&bob).await;
    let on_server = seen_by_other(&mut other, "Archive").await;
    assert_eq!(on_server.len(), 50);
    assert!(on_server
        .iter()
        .all(|(_, f)| f.iter().any(|f| f == "\\Seen")));
    assert!(seen_by_other(&mut other, "INBOX").await.is_empty());
    // COPYUID gave every message its new UID: the cache matches the server.
    let mut cached: Vec<u32> = folder(&engine, &bob.email, "Archive")
        .await
        .iter()
        .map(|m| m.uid)
        .collect();
    cached.sort_unstable();
    let uids: Vec<u32> = on_server.iter().map(|(uid, _)| *uid).collect();
    assert_eq!(cached, uids);

    // Undo after the server change: moved back, one MOVE per folder of origin.
    let start = engine.imap_commands().len();
    assert_eq!(engine.undo(archived.undo).await.expect("undo"), 50);
    assert_eq!(sent(&engine, start, "UID MOVE").len(), 2);
    assert_eq!(seen_by_other(&mut other, "INBOX").await.len(), 30);
    assert_eq!(seen_by_other(&mut other, "Work").await.len(), 20);
    assert!(seen_by_other(&mut other, "Archive").await.is_empty());
    let back = folder(&engine, &bob.email, "INBOX").await;
    assert_eq!(back.len(), 30);
    assert!(back.iter().all(|m| m.uid > 0 && m.seen));
    let mut ids_back: Vec<i64> = back.iter().map(|m| m.id).collect();
    let mut ids_before: Vec<i64> = inbox.iter().map(|m| m.id).collect();
    ids_back.sort_unstable();
    ids_before.sort_unstable();
    assert_eq!(ids_back, ids_before, "the same messages, not copies");

    // A sync after it all finds the cache as the server has it.
    engine.sync(&bob.email).await.expect("sync");
    assert_eq!(folder(&engine, &bob.email, "Work").await.len(), 20);
    assert!(folder(&engine, &bob.email, "Archive").await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn undo_while_offline_drops_the_queued_move_and_nothing_is_sent() {
    let servers = Servers::start();
    let (engine, _dir, bob) = setup(&servers, 5, 0).await;
    let inbox = folder(&engine, &bob.email, "INBOX").await;
    let picked: Vec<i64> = inbox.iter().take(3).map(|m| m.id).collect();

    servers.stop();
    let deleted = engine
        .act_many(picked.clone(), MessageAction::Delete)
        .await
        .expect("queued while down");
    assert_eq!((deleted.changed, deleted.replayed), (3, 0));
    assert_eq!(folder(&engine, &bob.email, "Trash").await.len(), 3);
    assert_eq!(engine.undo(deleted.undo).await.expect("undo"), 3);
    assert!(engine
        .store()
        .pending_changes(bob.id)
        .expect("queue")
        .is_empty());
    let back = folder(&engine, &bob.email, "INBOX").await;
    assert_eq!(back, inbox, "back where they were, with their own UIDs");

    servers.start_again();
    let start = engine.imap_commands().len();
    engine.sync(&bob.email).await.expect("sync");
    assert!(sent(&engine, start, "UID MOVE").is_empty());
    assert_eq!(folder(&engine, &bob.email, "INBOX").await.len(), 5);
    let mut other = servers.other_client(&bob).await;
    assert!(seen_by_other(&mut other, "Trash").await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn junk_marks_and_moves_and_not_junk_and_undo_take_it_back() {
    let servers = Servers::start();
    let (engine, _dir, bob) = setup(&servers, 4, 0).await;
    let picked: Vec<i64> = folder(&engine, &bob.email, "INBOX")
        .await
        .iter()
        .take(2)
        .map(|m| m.id)
        .collect();

    let junked = engine
        .act_many(picked.clone(), MessageAction::Junk)
        .await
        .expect("junk");
    assert_eq!(junked.undo.len(), 2);
    let mut other = servers.other_client(&bob).await;
    let in_junk = seen_by_other(&mut other, "Junk").await;
    assert_eq!(in_junk.len(), 2);
    assert!(
        in_junk.iter().all(|(_, f)| f.iter().any(|f| f == "$Junk")),
        "{in_junk:?}"
    );

    // Undo: back in the Inbox, the keyword taken off.
    assert_eq!(engine.undo(junked.undo).await.expect("undo"), 2);
    assert!(seen_by_other(&mut other, "Junk").await.is_empty());
    let inbox = seen_by_other(&mut other, "INBOX").await;
    assert_eq!(inbox.len(), 4);
    assert!(
        inbox.iter().all(|(_, f)| !f.iter().any(|f| f == "$Junk")),
        "{inbox:?}"
    );

    // Junk then Not junk: back in the Inbox as $NotJunk.
    engine
        .act_many(picked.clone(), MessageAction::Junk)
        .await
        .expect("junk again");
    let not = engine
        .act_many(picked.clone(), MessageAction::NotJunk)
        .await
        .expect("not junk");
    assert_eq!(not.undo.len(), 2);
    let inbox = seen_by_other(&mut other, "INBOX").await;
    let marked: Vec<_> = inbox
        .iter()
        .filter(|(_, f)| f.iter().any(|f| f == "$NotJunk"))
        .collect();
    assert_eq!(marked.len(), 2, "{inbox:?}");
    assert!(inbox.iter().all(|(_, f)| !f.iter().any(|f| f == "$Junk")));
}
