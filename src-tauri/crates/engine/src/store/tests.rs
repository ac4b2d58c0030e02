//! The cache's own rules, on a real SQLite file: threads that merge whatever order mail
//! arrives in, server changes (flags, Gmail labels, expunges), local moves waiting under a
//! placeholder UID, and search order.

use super::messages::{NewMessage, ServerChange};
use super::Store;
use crate::api::MessageAction;

fn store() -> (Store, tempfile::TempDir, i64) {
    super::test_store::with_account()
}

fn message(uid: u32, id: &str, refs: &[&str], date: i64) -> NewMessage {
    NewMessage {
        uid,
        message_id: Some(id.into()),
        in_reply_to: refs.last().map(|r| (*r).to_owned()),
        refs: refs.iter().map(|r| (*r).to_owned()).collect(),
        subject: format!("about {id}"),
        from_addr: "zoe@example.test".into(),
        date,
        has_body: true,
        text: format!("budget talk {id}"),
        ..NewMessage::default()
    }
}

#[test]
fn threads_merge_whatever_order_the_mail_arrives_in() {
    let (store, _dir, account) = store();
    let inbox = store
        .folder(account, "INBOX", Some("inbox"))
        .expect("folder")
        .id;
    // The grandchild first, then an unrelated message, then the root, then the middle
    // one, which is the only message naming both the root and the grandchild's parent.
    let batch = [
        message(1, "c@x", &["b@x"], 30),
        message(2, "other@x", &[], 40),
        message(3, "a@x", &[], 10),
        message(4, "b@x", &["a@x"], 20),
    ];
    store.insert_batch(account, inbox, &batch).expect("insert");
    let cached = store.folder_messages(inbox, 10).expect("list");
    let thread = |id: &str| {
        cached
            .iter()
            .find(|m| m.message_id.as_deref() == Some(id))
            .and_then(|m| m.thread_id)
            .expect("threaded")
    };
    assert_eq!(thread("a@x"), thread("b@x"));
    assert_eq!(thread("a@x"), thread("c@x"));
    assert_ne!(thread("a@x"), thread("other@x"));
    let conversation = store.thread(thread("c@x")).expect("thread");
    let ids: Vec<_> = conversation
        .iter()
        .filter_map(|m| m.message_id.clone())
        .collect();
    assert_eq!(ids, ["a@x", "b@x", "c@x"], "oldest first");
}

#[test]
fn server_changes_update_flags_labels_and_drop_expunged_mail() {
    let (store, _dir, account) = store();
    let all = store
        .folder(account, "[Gmail]/All Mail", Some("all"))
        .expect("folder")
        .id;
    let mut m = message(7, "g@x", &[], 10);
    m.labels = vec!["\\Inbox".into()];
    store
        .insert_batch(account, all, &[m, message(8, "h@x", &[], 20)])
        .expect("insert");
    assert_eq!(
        store.unified_inbox(10).expect("inbox").len(),
        1,
        "\\Inbox-labelled mail is in the inbox"
    );
    let change = ServerChange {
        uid: 7,
        flags: vec!["\\Seen".into()],
        modseq: 99,
        labels: Some(vec!["Work".into()]),
    };
    store
        .apply_server_changes(all, &[8], &[change])
        .expect("apply");
    let left = store.folder_messages(all, 10).expect("list");
    assert_eq!(left.len(), 1);
    assert!(left[0].seen);
    assert_eq!(store.message(left[0].id).expect("detail").labels, ["Work"]);
    assert!(
        store.unified_inbox(10).expect("inbox").is_empty(),
        "archived on another device"
    );
    assert!(
        store
            .search("budget", 10)
            .expect("search")
            .iter()
            .all(|h| h.uid == 7),
        "the index forgot the expunged one"
    );
}

#[test]
fn a_local_move_waits_under_a_placeholder_until_the_server_gives_its_uid() {
    let (store, _dir, account) = store();
    let inbox = store
        .folder(account, "INBOX", Some("inbox"))
        .expect("inbox")
        .id;
    let archive = store
        .folder(account, "Archive", Some("archive"))
        .expect("archive")
        .id;
    store
        .insert_batch(account, inbox, &[message(5, "m@x", &[], 10)])
        .expect("insert");
    let id = store.folder_messages(inbox, 1).expect("list")[0].id;
    store
        .apply_local(id, &MessageAction::Archive, 100)
        .expect("archive");
    store
        .apply_local(id, &MessageAction::Flagged(true), 101)
        .expect("flag");
    let queued = store.pending_changes(account).expect("queue");
    assert_eq!(queued.len(), 2);
    assert_eq!(
        (
            queued[0].action.as_str(),
            queued[0].uid,
            queued[0].arg.as_str()
        ),
        ("move", 5, "Archive")
    );
    assert_eq!(
        (queued[1].folder.as_str(), queued[1].uid),
        ("Archive", -id),
        "names the placeholder"
    );
    assert_eq!(
        store.cached_uids(archive, 0).expect("uids"),
        Vec::<u32>::new(),
        "no real UID yet"
    );

    store
        .change_done(&queued[0], Some(41))
        .expect("moved, COPYUID 41");
    let queued = store.pending_changes(account).expect("queue");
    assert_eq!((queued[0].folder.as_str(), queued[0].uid), ("Archive", 41));
    assert_eq!(store.cached_uids(archive, 0).expect("uids"), [41]);
    assert!(store.summary(id).expect("cached").flagged);
}

#[test]
fn search_is_newest_first_and_understands_fields() {
    let (store, _dir, account) = store();
    let inbox = store
        .folder(account, "INBOX", Some("inbox"))
        .expect("inbox")
        .id;
    let batch: Vec<_> = (1..=20)
        .map(|i| message(i, &format!("{i}@x"), &[], i64::from(i) * 100))
        .collect();
    store.insert_batch(account, inbox, &batch).expect("insert");
    assert!(
        store.search("budg", 5).expect("search").is_empty(),
        "not indexed yet"
    );
    assert_eq!(store.pending_index().expect("pending"), 20);
    // The indexer takes the newest first.
    assert_eq!(store.index_pending(3).expect("index"), 3);
    let dates: Vec<_> = store
        .search("budg", 50)
        .expect("search")
        .iter()
        .map(|m| m.date)
        .collect();
    assert_eq!(dates, [2000, 1900, 1800]);
    assert_eq!(store.index_pending(100).expect("index"), 17);
    assert_eq!(store.index_pending(100).expect("index"), 0, "nothing left");
    let hits = store.search("budg", 5).expect("prefix search");
    let dates: Vec<_> = hits.iter().map(|m| m.date).collect();
    assert_eq!(dates, [2000, 1900, 1800, 1700, 1600]);
    assert_eq!(store.search("from:zoe", 100).expect("from").len(), 20);
    assert!(store.search("from:budget", 100).expect("from").is_empty());
    assert_eq!(store.search("subject:13", 100).expect("subject").len(), 1);
}

#[test]
fn lists_are_ids_newest_first_and_rows_come_back_in_the_order_asked() {
    let (store, _dir, account) = store();
    let inbox = store
        .folder(account, "INBOX", Some("inbox"))
        .expect("folder")
        .id;
    let all = store
        .folder(account, "[Gmail]/All Mail", Some("all"))
        .expect("folder")
        .id;
    let batch: Vec<_> = (1..=700)
        .map(|i| message(i, &format!("m{i}@x"), &[], i64::from(i) * 60))
        .collect();
    store.insert_batch(account, inbox, &batch).expect("insert");
    let mut labelled = message(1, "g@x", &[], 1_000_000);
    labelled.labels = vec!["\\Inbox".into()];
    store
        .insert_batch(
            account,
            all,
            &[labelled, message(2, "archived@x", &[], 2_000_000)],
        )
        .expect("insert");

    // The unified inbox: the INBOX folder and \Inbox-labelled mail, newest first, the
    // same order as the summaries' list.
    let ids = store.inbox_ids().expect("inbox ids");
    assert_eq!(ids.len(), 701);
    let listed: Vec<i64> = store
        .unified_inbox(1_000)
        .expect("inbox")
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(ids, listed);
    let folder = store.folder_ids(inbox).expect("folder ids");
    assert_eq!(folder.len(), 700);
    assert_eq!(folder[..], ids[1..], "the labelled one is the newest");

    // Rows by id, in the order asked, across statement chunks (more than 500 ids); an id
    // no longer cached is left out.
    let mut asked: Vec<i64> = folder.iter().rev().copied().collect();
    asked.insert(3, 999_999);
    let rows = store.summaries(&asked).expect("rows");
    assert_eq!(rows.len(), 700);
    let got: Vec<i64> = rows.iter().map(|m| m.id).collect();
    let expected: Vec<i64> = folder.iter().rev().copied().collect();
    assert_eq!(got, expected);
    assert_eq!(rows[0].subject, "about m1@x");
}

/// `\Recent` (this session is the first to see the message) is kept with the other
/// flags, so `courriel show` lists it and the reader marks the message new.
#[test]
fn recent_is_kept_with_the_flags() {
    let (store, _dir, account) = store();
    let inbox = store
        .folder(account, "INBOX", Some("inbox"))
        .expect("folder")
        .id;
    let new = NewMessage {
        flags: vec!["\\Recent".into(), "\\Seen".into()],
        ..message(1, "r@x", &[], 10)
    };
    store.insert_batch(account, inbox, &[new]).expect("insert");
    let id = store.folder_messages(inbox, 10).expect("list")[0].id;
    let detail = store.message(id).expect("message");
    assert_eq!(detail.flags, ["\\Recent", "\\Seen"]);
    assert!(detail.summary.seen);
}

#[test]
fn search_operators_narrow_by_state_place_account_and_date() {
    use crate::api::AttachmentInfo;
    use crate::query::parse;
    let (store, _dir, account) = store();
    let inbox = store
        .folder(account, "INBOX", Some("inbox"))
        .expect("inbox")
        .id;
    let archive = store
        .folder(account, "Archive", Some("archive"))
        .expect("archive")
        .id;
    let day = 86_400;
    let mut read = message(1, "read@x", &[], 10 * day);
    read.flags = vec!["\\Seen".into(), "\\Flagged".into()];
    let mut attached = message(2, "attached@x", &[], 20 * day);
    attached.attachments = vec![AttachmentInfo {
        part: "2".into(),
        filename: "budget.pdf".into(),
        mime_type: "application/pdf".into(),
        size: 10,
        content_id: None,
        inline: false,
    }];
    store
        .insert_batch(account, inbox, &[read, attached])
        .expect("inbox");
    store
        .insert_batch(account, archive, &[message(3, "old@x", &[], 5 * day)])
        .expect("archive");
    store.index_pending(100).expect("index");
    let ids = |q: &str| -> Vec<String> {
        let hits = store.search_query(&parse(q, 0), 50).expect("search");
        hits.into_iter().filter_map(|m| m.message_id).collect()
    };
    assert_eq!(ids("budget is:unread"), ["attached@x", "old@x"]);
    assert_eq!(ids("is:flagged"), ["read@x"], "operators alone, no words");
    assert_eq!(ids("has:attachment"), ["attached@x"]);
    assert_eq!(ids("budget in:archive"), ["old@x"]);
    assert_eq!(ids("in:INBOX is:read"), ["read@x"]);
    assert!(
        ids("in:nowhere").is_empty(),
        "a folder nobody has matches nothing"
    );
    assert_eq!(ids("account:BOB@example.test is:unread").len(), 2);
    assert!(ids("account:eve@example.test").is_empty());
    assert_eq!(ids("after:1970-01-08 before:1970-01-20"), ["read@x"]);
}

/// Each folder's counts as the sidebar reads them, against counting the rows themselves.
fn counts_agree(store: &Store, account: i64) -> Vec<(String, u32, u32)> {
    let listed = store.folders(account).expect("folders");
    let conn = store.conn();
    listed
        .into_iter()
        .map(|f| {
            let count =
                |sql: &str| -> u32 { conn.query_row(sql, [f.id], |r| r.get(0)).expect("count") };
            let total = count("SELECT count(*) FROM messages WHERE folder_id = ?1");
            let unread = count("SELECT count(*) FROM messages WHERE folder_id = ?1 AND seen = 0");
            assert_eq!((f.total, f.unread), (total, unread), "{}", f.name);
            (f.name, f.total, f.unread)
        })
        .collect()
}

#[test]
fn folder_counts_follow_arrivals_flags_moves_expunges_and_resets() {
    let (store, _dir, account) = store();
    let inbox = store
        .folder(account, "INBOX", Some("inbox"))
        .expect("inbox")
        .id;
    let archive = store
        .folder(account, "Archive", Some("archive"))
        .expect("a")
        .id;
    let mut read = message(3, "c@x", &[], 30);
    read.flags = vec!["\\Seen".into()];
    let batch = [message(1, "a@x", &[], 10), message(2, "b@x", &[], 20), read];
    store.insert_batch(account, inbox, &batch).expect("insert");
    assert_eq!(counts_agree(&store, account)[0], ("INBOX".into(), 3, 2));

    let newest = store.folder_messages(inbox, 1).expect("list")[0].id;
    store
        .apply_local(newest, &MessageAction::Seen(false), 1)
        .expect("unread");
    let oldest = store.folder_messages(inbox, 3).expect("list")[2].id;
    store
        .apply_local(oldest, &MessageAction::Seen(true), 2)
        .expect("read");
    store
        .apply_local(oldest, &MessageAction::Archive, 3)
        .expect("archive");
    let counts = counts_agree(&store, account);
    assert!(counts.contains(&("INBOX".into(), 2, 2)), "{counts:?}");
    assert!(counts.contains(&("Archive".into(), 1, 0)), "{counts:?}");

    let flags_only = ServerChange {
        uid: 2,
        flags: vec!["\\Seen".into()],
        modseq: 9,
        labels: None,
    };
    store
        .apply_server_changes(inbox, &[3], &[flags_only])
        .expect("server");
    assert!(counts_agree(&store, account).contains(&("INBOX".into(), 1, 0)));
    store.reset_folder(archive, 77).expect("reset");
    assert!(counts_agree(&store, account).contains(&("Archive".into(), 0, 0)));
}
