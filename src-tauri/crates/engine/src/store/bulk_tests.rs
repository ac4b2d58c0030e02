//! `store::bulk` on a real SQLite file: the queue's order (folder by folder, so each
//! folder's changes go out as one command), all or nothing, junk's keyword before its
//! move, and Undo of a move still queued.

use super::messages::NewMessage;
use super::Store;
use crate::api::MessageAction;
use crate::error::ErrorKind;

struct Fixture {
    store: Store,
    _dir: tempfile::TempDir,
    account: i64,
    inbox: i64,
    work: i64,
}

fn fixture() -> Fixture {
    let (store, dir, account) = super::test_store::with_account();
    let folder = |name: &str, role: Option<&str>| store.folder(account, name, role).expect(name).id;
    let (inbox, work) = (folder("INBOX", Some("inbox")), folder("Work", None));
    folder("Archive", Some("archive"));
    folder("Junk", Some("junk"));
    for (folder, uids) in [(inbox, [3, 1, 2]), (work, [9, 7, 8])] {
        let batch: Vec<NewMessage> = uids
            .iter()
            .map(|&uid| NewMessage {
                uid,
                message_id: Some(format!("{folder}.{uid}@x")),
                from_addr: "zoe@example.test".into(),
                date: i64::from(uid),
                ..NewMessage::default()
            })
            .collect();
        store.insert_batch(account, folder, &batch).expect("insert");
    }
    Fixture {
        store,
        _dir: dir,
        account,
        inbox,
        work,
    }
}

fn ids(f: &Fixture) -> Vec<i64> {
    let mut all = f.store.folder_ids(f.inbox).expect("inbox");
    all.extend(f.store.folder_ids(f.work).expect("work"));
    all
}

#[test]
fn changes_are_queued_folder_by_folder_in_uid_order() {
    let f = fixture();
    let mut mixed = ids(&f);
    mixed.sort_by_key(|id| -(id % 4)); // any order, the folders mixed
    let done = f
        .store
        .apply_many(&mixed, &MessageAction::Seen(true), 10)
        .expect("mark read");
    assert_eq!((done.changed, done.accounts.clone()), (6, vec![f.account]));
    assert!(done.moved.is_empty());
    let queued: Vec<(String, i64)> = f
        .store
        .pending_changes(f.account)
        .expect("queue")
        .into_iter()
        .map(|c| (c.folder, c.uid))
        .collect();
    let want = [
        ("INBOX", 1),
        ("INBOX", 2),
        ("INBOX", 3),
        ("Work", 7),
        ("Work", 8),
        ("Work", 9),
    ];
    assert_eq!(queued, want.map(|(f, u)| (f.to_owned(), u)));
}

#[test]
fn an_id_no_longer_cached_refuses_the_whole_action() {
    let f = fixture();
    let mut picked = ids(&f);
    picked.push(999_999);
    let e = f
        .store
        .apply_many(&picked, &MessageAction::Archive, 10)
        .expect_err("refused");
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert!(e.to_string().contains("999999"), "{e}");
    assert!(f
        .store
        .pending_changes(f.account)
        .expect("queue")
        .is_empty());
    assert_eq!(f.store.folder_ids(f.inbox).expect("inbox").len(), 3);
}

#[test]
fn junk_sets_the_keyword_before_the_move_and_undo_takes_both_back() {
    let f = fixture();
    let picked = f.store.folder_ids(f.inbox).expect("inbox");
    let done = f
        .store
        .apply_many(&picked, &MessageAction::Junk, 10)
        .expect("junk");
    assert_eq!(done.moved.len(), 3);
    let actions: Vec<String> = f
        .store
        .pending_changes(f.account)
        .expect("queue")
        .into_iter()
        .map(|c| format!("{} {}", c.action, c.arg))
        .collect();
    assert_eq!(
        actions,
        [
            "add_flags $Junk",
            "add_flags $Junk",
            "add_flags $Junk",
            "move Junk",
            "move Junk",
            "move Junk"
        ]
    );

    // Nothing sent yet: Undo drops it all, the messages back with their own UIDs.
    let (_, back) = f.store.undo_local(&done.moved, 11).expect("undo");
    assert_eq!(back, 3);
    assert!(f
        .store
        .pending_changes(f.account)
        .expect("queue")
        .is_empty());
    let inbox = f.store.folder_messages(f.inbox, 10).expect("inbox");
    let mut uids: Vec<u32> = inbox.iter().map(|m| m.uid).collect();
    uids.sort_unstable();
    assert_eq!(uids, [1, 2, 3]);
    for m in &inbox {
        assert!(!f
            .store
            .message(m.id)
            .expect("message")
            .flags
            .contains(&"$Junk".to_owned()));
    }
}

#[test]
fn a_move_to_where_it_is_and_flags_give_nothing_to_undo() {
    let f = fixture();
    let picked = f.store.folder_ids(f.inbox).expect("inbox");
    let done = f
        .store
        .apply_many(&picked, &MessageAction::Move("inbox".into()), 10)
        .expect("move to itself");
    assert!(done.moved.is_empty());
    assert!(f
        .store
        .pending_changes(f.account)
        .expect("queue")
        .is_empty());
}
