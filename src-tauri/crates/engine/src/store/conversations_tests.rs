//! Grouping by conversation on a real SQLite file: one row per thread (its newest
//! message), the counts and marks of the whole conversation in that folder, a message
//! alone left as it is, the first page read without the rest.

use super::super::messages::NewMessage;
use super::super::Store;
use crate::api::AttachmentInfo;

struct Mail {
    store: Store,
    _dir: tempfile::TempDir,
    account: i64,
    inbox: i64,
    archive: i64,
}

fn mail() -> Mail {
    let (store, dir, account) = super::super::test_store::with_account();
    let inbox = store
        .folder(account, "INBOX", Some("inbox"))
        .expect("inbox")
        .id;
    let archive = store
        .folder(account, "Archive", Some("archive"))
        .expect("archive")
        .id;
    Mail {
        store,
        _dir: dir,
        account,
        inbox,
        archive,
    }
}

/// A message from `from` (name, address) replying to `refs`, with these flags.
fn message(uid: u32, id: &str, refs: &[&str], date: i64, from: (&str, &str)) -> NewMessage {
    NewMessage {
        uid,
        message_id: Some(id.into()),
        in_reply_to: refs.last().map(|r| (*r).to_owned()),
        refs: refs.iter().map(|r| (*r).to_owned()).collect(),
        subject: format!("about {id}"),
        from_name: Some(from.0.to_owned()).filter(|n| !n.is_empty()),
        from_addr: from.1.into(),
        date,
        has_body: true,
        flags: vec!["\\Seen".into()],
        ..NewMessage::default()
    }
}

const ZOE: (&str, &str) = ("Zoé", "zoe@example.test");
const MAX: (&str, &str) = ("", "max@example.test");
const ANN: (&str, &str) = ("Ann", "ann@example.test");

impl Mail {
    fn put(&self, folder: i64, m: NewMessage) -> i64 {
        self.store
            .insert_message(self.account, folder, &m)
            .expect("insert");
        self.store
            .folder_ids(folder)
            .expect("ids")
            .into_iter()
            .max()
            .expect("an id")
    }
}

#[test]
fn a_thread_is_one_row_its_newest_with_the_conversations_marks() {
    let mail = mail();
    let root = mail.put(mail.inbox, message(1, "a@x", &[], 10, ZOE));
    let mut flagged = message(2, "b@x", &["a@x"], 20, MAX);
    flagged.flags = vec!["\\Seen".into(), "\\Flagged".into()];
    mail.put(mail.inbox, flagged);
    let alone = mail.put(mail.inbox, message(3, "other@x", &[], 25, ANN));
    let mut newest = message(4, "c@x", &["a@x", "b@x"], 30, ZOE);
    newest.flags = vec![];
    newest.attachments = vec![AttachmentInfo {
        filename: "plan.pdf".into(),
        ..AttachmentInfo::default()
    }];
    let newest = mail.put(mail.inbox, newest);

    let ids = mail.store.folder_conversation_ids(mail.inbox).expect("ids");
    assert_eq!(ids, vec![newest, alone], "one row per thread, newest first");
    assert_eq!(mail.store.folder_ids(mail.inbox).expect("flat").len(), 4);

    let rows = mail.store.conversation_summaries(&ids).expect("rows");
    let c = rows[0].conversation.clone().expect("a conversation");
    assert_eq!(
        (c.count, c.unread, c.flagged, c.attachments),
        (3, 1, true, true)
    );
    assert_eq!(
        c.senders,
        vec!["Zoé", "max@example.test"],
        "newest first, each once"
    );
    assert!(!rows[0].flagged, "the row keeps its own message's marks");
    assert_eq!(rows[1].conversation, None, "a message alone is a plain row");
    assert_ne!(root, newest);
}

#[test]
fn a_conversation_counts_its_messages_in_this_folder_only() {
    let mail = mail();
    mail.put(mail.archive, message(1, "a@x", &[], 10, ZOE));
    let reply = mail.put(mail.inbox, message(1, "b@x", &["a@x"], 20, MAX));
    let ids = mail.store.folder_conversation_ids(mail.inbox).expect("ids");
    assert_eq!(ids, vec![reply]);
    let rows = mail.store.conversation_summaries(&ids).expect("rows");
    assert_eq!(
        rows[0].conversation, None,
        "the archived root is not in the inbox's row"
    );
    let unified = mail.store.inbox_conversation_ids().expect("inbox");
    assert_eq!(unified, vec![reply]);
}

#[test]
fn the_first_page_stops_at_its_rows_and_the_unified_inbox_groups_alike() {
    let mail = mail();
    for i in 0..10u32 {
        let id = format!("m{i}@x");
        let parent = format!("m{}@x", i.saturating_sub(1));
        let refs: Vec<&str> = if i % 2 == 1 { vec![&parent] } else { vec![] };
        mail.put(
            mail.inbox,
            message(i + 1, &id, &refs, i64::from(i) * 10, ANN),
        );
    }
    // Five threads of two: the page of three holds the three newest, each counted two.
    let page = mail
        .store
        .folder_conversations(mail.inbox, 3)
        .expect("page");
    let subjects: Vec<&str> = page.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects, vec!["about m9@x", "about m7@x", "about m5@x"]);
    assert!(page
        .iter()
        .all(|m| m.conversation.as_ref().map(|c| c.count) == Some(2)));
    assert_eq!(mail.store.inbox_conversations(3).expect("inbox"), page);
    assert_eq!(mail.store.inbox_conversation_ids().expect("ids").len(), 5);
    assert_eq!(
        mail.store
            .folder_conversation_ids(mail.inbox)
            .expect("ids")
            .len(),
        5
    );
}

#[test]
fn a_grouped_rows_action_takes_its_conversation_in_that_folder_only() {
    let mail = mail();
    let root = mail.put(mail.inbox, message(1, "a@x", &[], 10, ZOE));
    let reply = mail.put(mail.inbox, message(2, "b@x", &["a@x"], 20, MAX));
    let filed = mail.put(mail.archive, message(3, "c@x", &["a@x"], 15, ANN));
    let alone = mail.put(mail.inbox, message(4, "other@x", &[], 25, ANN));
    let members = mail.store.conversation_members(&[reply, alone, root]);
    assert_eq!(
        members.expect("members"),
        vec![reply, root, alone],
        "the row's conversation in its folder, each once; the archived reply stays"
    );
    assert_eq!(
        mail.store.conversation_members(&[filed]).expect("one"),
        vec![filed]
    );
}
