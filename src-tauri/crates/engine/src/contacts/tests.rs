//! Contacts learned from a real cache and found again: ranking, accents, forgetting,
//! reading each message once.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use crate::api::{Draft, Endpoint, NewAccount, Protocol, Security};
use crate::auth::secrets::NoSecrets;
use crate::engine::Engine;
use crate::store::messages::NewMessage;

const NOW: i64 = 1_800_000_000;
const DAY: i64 = 86_400;

struct Rig {
    engine: Engine,
    time: Arc<AtomicI64>,
    account: i64,
    _dir: tempfile::TempDir,
}

fn rig() -> Rig {
    let dir = tempfile::tempdir().expect("dir");
    let mut engine = Engine::open(dir.path(), Arc::new(NoSecrets)).expect("engine");
    let time = Arc::new(AtomicI64::new(NOW));
    let clock = time.clone();
    engine.set_clock(Arc::new(move || clock.load(Ordering::SeqCst)));
    let endpoint = Endpoint {
        host: "mail.example.test".into(),
        port: 993,
        security: Security::Tls,
    };
    let account = engine
        .store()
        .insert_account(&NewAccount {
            email: "me@example.test".into(),
            display_name: "Me".into(),
            username: "me@example.test".into(),
            protocol: Protocol::Imap,
            incoming: endpoint.clone(),
            smtp: endpoint,
            ca_file: None,
            sent_copy: None,
            smtp_plaintext_no_auth: false,
            auth: Default::default(),
        })
        .expect("account")
        .id;
    Rig {
        engine,
        time,
        account,
        _dir: dir,
    }
}

impl Rig {
    fn deliver(&self, folder: (&str, &str), uid: u32, m: NewMessage) {
        let store = self.engine.store();
        let folder = store
            .folder(self.account, folder.0, Some(folder.1))
            .expect("folder")
            .id;
        store
            .insert_message(
                self.account,
                folder,
                &NewMessage {
                    uid,
                    has_body: true,
                    ..m
                },
            )
            .expect("insert");
    }

    fn from(&self, uid: u32, name: &str, addr: &str, date: i64) {
        let m = NewMessage {
            from_name: Some(name.into()),
            from_addr: addr.into(),
            date,
            ..NewMessage::default()
        };
        self.deliver(("INBOX", "inbox"), uid, m);
    }

    async fn find(&self, query: &str) -> Vec<String> {
        let found = self.engine.contacts(query, 20).await.expect("contacts");
        found.into_iter().map(|c| c.address).collect()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sent_beats_answered_beats_received_and_accents_do_not_matter() {
    let rig = rig();
    rig.from(1, "Zoë Ångström", "zoe@example.test", NOW - DAY);
    rig.from(2, "Zoé Martin", "zmartin@example.test", NOW - DAY);
    let answered = NewMessage {
        from_name: Some("Zoe Answered".into()),
        from_addr: "zanswered@example.test".into(),
        flags: vec!["\\Answered".into()],
        date: NOW - DAY,
        ..NewMessage::default()
    };
    rig.deliver(("INBOX", "inbox"), 3, answered);
    rig.engine.learn_contacts().await.expect("learn");
    let draft = Draft {
        to: vec!["Zoey Sent <zsent@example.test>".into()],
        ..Draft::default()
    };
    rig.engine.learn_sent_quietly(&draft).await;

    assert_eq!(
        rig.find("zoe").await,
        [
            "zsent@example.test",
            "zanswered@example.test",
            "zoe@example.test",
            "zmartin@example.test"
        ]
    );
    assert_eq!(rig.find("ZOË ångs").await, ["zoe@example.test"]);
    assert_eq!(rig.find("angstrom").await, ["zoe@example.test"]);
    assert_eq!(rig.find("mart").await, ["zmartin@example.test"]);
    assert_eq!(rig.find("zmartin@exam").await, ["zmartin@example.test"]);
    assert!(
        rig.find("oe").await.is_empty(),
        "words match from their start"
    );
    let zoe = &rig.engine.contacts("angstrom", 1).await.expect("contacts")[0];
    assert_eq!(
        (zoe.name.as_str(), zoe.received, zoe.sent),
        ("Zoë Ångström", 1, 0)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn recent_mail_outranks_old_mail() {
    let rig = rig();
    for uid in 1..=20 {
        rig.from(
            uid,
            "Old Friend",
            "old@example.test",
            NOW - 800 * DAY + uid as i64,
        );
    }
    rig.from(30, "New Colleague", "new@example.test", NOW - 2 * DAY);
    rig.engine.learn_contacts().await.expect("learn");
    assert_eq!(rig.find("").await, ["new@example.test", "old@example.test"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn each_message_is_read_once_and_new_mail_is_read_next_time() {
    let rig = rig();
    rig.from(1, "Bob", "bob@example.test", NOW);
    assert_eq!(rig.engine.learn_contacts().await.expect("learn"), 1);
    assert_eq!(rig.engine.learn_contacts().await.expect("again"), 0);
    rig.from(2, "Bob B.", "bob@example.test", NOW + 10);
    let sent = NewMessage {
        from_addr: "me@example.test".into(),
        to_addrs: vec!["carol@example.test".into()],
        date: NOW,
        ..NewMessage::default()
    };
    rig.deliver(("Sent", "sent"), 1, sent);
    assert_eq!(rig.engine.learn_contacts().await.expect("new mail"), 2);
    let bob = &rig.engine.contacts("bob", 5).await.expect("bob")[0];
    assert_eq!((bob.received, bob.name.as_str()), (2, "Bob B."));
    let carol = &rig.engine.contacts("carol", 5).await.expect("carol")[0];
    assert_eq!(carol.sent, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forgotten_contact_stays_forgotten_until_you_write_to_it() {
    let rig = rig();
    rig.from(1, "Pushy Vendor", "vendor@example.test", NOW - DAY);
    rig.engine.learn_contacts().await.expect("learn");
    assert!(rig
        .engine
        .forget_contact("Vendor@Example.test")
        .await
        .expect("forget"));
    assert!(rig.find("vendor").await.is_empty());
    // More mail from them does not bring them back.
    rig.from(2, "Pushy Vendor", "vendor@example.test", NOW + DAY);
    rig.engine.learn_contacts().await.expect("learn again");
    assert!(rig.find("pushy").await.is_empty());
    // Writing to them does, as new.
    rig.time.store(NOW + 2 * DAY, Ordering::SeqCst);
    let draft = Draft {
        to: vec!["vendor@example.test".into()],
        ..Draft::default()
    };
    rig.engine.learn_sent_quietly(&draft).await;
    let back = rig.engine.contacts("vendor", 5).await.expect("back");
    assert_eq!((back.len(), back[0].sent, back[0].received), (1, 1, 0));
    // An address never seen can be forgotten ahead: it is not learned from received mail.
    assert!(!rig
        .engine
        .forget_contact("spam@example.test")
        .await
        .expect("forget ahead"));
    rig.from(3, "Spam", "spam@example.test", NOW + 3 * DAY);
    rig.engine.learn_contacts().await.expect("learn");
    assert!(rig.find("spam").await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn completion_at_ten_thousand_contacts_is_an_index_range() {
    let rig = rig();
    let events: Vec<_> = (0..10_000)
        .map(|i| crate::store::contacts::Learned {
            address: format!("person{i}@example{}.test", i % 7),
            name: format!("Person {i}"),
            event: crate::store::contacts::Event::Received,
            at: NOW - i,
            points: super::rank::points(super::rank::Event::Received, NOW - i),
            terms: super::fold::terms(
                &format!("Person {i}"),
                &format!("person{i}@example{}.test", i % 7),
            ),
        })
        .collect();
    rig.engine
        .store()
        .learn_contacts(&events, super::rank::combine)
        .expect("learn");
    let found = rig.find("person 999").await;
    assert_eq!(
        found.first().map(String::as_str),
        Some("person999@example5.test")
    );
    // "999" starts Person 999 and Person 9990 to 9999.
    assert_eq!(found.len(), 11, "{found:?}");
    // A narrow word drives from its terms; broad words walk the contacts best first.
    let narrow = rig
        .engine
        .store()
        .contact_query_plan(&["person".into(), "999".into()])
        .expect("plan");
    assert!(narrow.contains("SEARCH t USING PRIMARY KEY"), "{narrow}");
    assert!(!narrow.contains("SCAN"), "{narrow}");
    let broad = rig
        .engine
        .store()
        .contact_query_plan(&["person".into()])
        .expect("plan");
    assert!(broad.contains("contacts_by_rank"), "{broad}");
    let found = rig.find("p").await;
    // Printed, not asserted (no wall-clock bounds in tests): the store's own time, warm.
    for query in ["p", "person 999", "example3", "zz"] {
        let words = super::fold::query_words(query);
        let started = std::time::Instant::now();
        rig.engine
            .store()
            .contacts_matching(&words, 10)
            .expect("match");
        eprintln!("{query:?} over 10,000 contacts: {:?}", started.elapsed());
    }
    assert_eq!(found.len(), 20);
    assert_eq!(found[0], "person0@example0.test");
}
