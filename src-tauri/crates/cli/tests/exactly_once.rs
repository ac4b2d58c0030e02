//! Exactly-once sending across crashes, against the real servers: the `courriel` process
//! is aborted at the worst instants (`COURRIEL_FAULT`), restarted, and bob's mailbox must
//! hold exactly one copy, checked by Message-ID over IMAP.

use std::process::Command;

use courriel_engine::api::{OutboxState, RecipientState};
use courriel_engine::Engine;
use courriel_tests::Servers;

struct Setup {
    servers: Servers,
    dir: tempfile::TempDir,
    alice: String,
    bob: String,
}

async fn setup() -> Setup {
    let servers = Servers::start();
    let dir = tempfile::tempdir().expect("data dir");
    let engine = Engine::open(dir.path(), servers.secrets()).expect("engine");
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("alice")
        .email;
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob")
        .email;
    Setup {
        servers,
        dir,
        alice,
        bob,
    }
}

impl Setup {
    fn engine(&self) -> Engine {
        Engine::open(self.dir.path(), self.servers.secrets()).expect("reopen engine")
    }

    /// `courriel send` from alice to bob, aborted at `fault`.
    fn crashing_send(&self, subject: &str, fault: &str) {
        let status = Command::new(env!("CARGO_BIN_EXE_courriel"))
            .args(["--data-dir"])
            .arg(self.dir.path())
            .args(["send", "--account", &self.alice, "--to", &self.bob])
            .args(["--subject", subject, "--body", "once"])
            .env("COURRIEL_PASSWORD", self.servers.get("ALICE_PASSWORD"))
            .env("COURRIEL_FAULT", fault)
            .status()
            .expect("run courriel");
        assert!(
            !status.success(),
            "the fault at {fault} must stop the process"
        );
    }

    /// How many copies of `message_id` bob's INBOX holds, once Postfix is done.
    async fn copies_at_bob(&self, engine: &Engine, message_id: &str) -> usize {
        self.servers
            .copies_in_inbox(engine, &self.bob, message_id)
            .await
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crash_before_the_message_went_out_sends_it_once_on_restart() {
    let s = setup().await;
    s.crashing_send("crash before data", "before-data");
    let engine = s.engine();
    let before = engine.outbox().await.expect("outbox");
    assert_eq!(
        before[0].state,
        OutboxState::Sending,
        "the crash left it mid-attempt"
    );
    let after = engine.resume_outbox().await.expect("resume");
    assert_eq!(after[0].state, OutboxState::CopiedToSent, "{:?}", after[0]);
    assert_eq!(after[0].attempts, 2);
    assert_eq!(s.copies_at_bob(&engine, &after[0].message_id).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crash_after_the_server_took_it_is_never_resent_blindly() {
    let s = setup().await;
    s.crashing_send("crash after data", "after-data");
    let engine = s.engine();
    let after = engine.resume_outbox().await.expect("resume");
    let report = &after[0];
    assert_eq!(report.state, OutboxState::Uncertain, "{report:?}");
    assert_eq!(report.attempts, 1, "not attempted again");
    assert!(report
        .last_error
        .as_deref()
        .unwrap_or("")
        .contains("not sent again"));
    assert_eq!(s.copies_at_bob(&engine, &report.message_id).await, 1);
    // What happened before the crash is still in the trace, and the crash is said.
    let (_, attempts) = engine.trace(&report.message_id).await.expect("trace");
    let trace = &attempts[0].trace;
    assert_eq!(attempts[0].outcome, "interrupted");
    for step in [
        format!("RCPT TO:<{}> NOTIFY=FAILURE,DELAY → 250", s.bob),
        "DATA → 354".into(),
    ] {
        assert!(trace.contains(&step), "{step:?} kept:\n{trace}");
    }
    assert!(trace.contains("interrupted: Courriel stopped"), "{trace}");
    // A second restart changes nothing.
    let again = engine.resume_outbox().await.expect("resume again");
    assert_eq!(again[0].state, OutboxState::Uncertain);
    // The user checked: it arrived.
    let settled = engine
        .mark_sent(&report.message_id)
        .await
        .expect("mark sent");
    assert_eq!(settled.state, OutboxState::Accepted);
    assert!(settled
        .recipients
        .iter()
        .all(|r| r.state == RecipientState::Accepted));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sent_message_is_filed_once_in_sent_and_traced_without_secrets() {
    let s = setup().await;
    let engine = s.engine();
    let draft = courriel_engine::api::Draft {
        to: vec![s.bob.clone()],
        cc: vec![],
        bcc: vec![],
        subject: "filed".into(),
        body: "hello".into(),
        ..Default::default()
    };
    let report = engine.send(&s.alice, draft).await.expect("send");
    assert_eq!(report.state, OutboxState::CopiedToSent, "{report:?}");
    let alice = engine.account(&s.alice).await.expect("alice");
    let password = s.servers.get("ALICE_PASSWORD");
    let secret = courriel_engine::auth::secrets::Secret::Password(password.into());
    let mut imap = courriel_engine::imap::connect(&alice, &secret)
        .await
        .expect("imap");
    let found = courriel_engine::imap::sent::sent_has(&mut imap, &report.message_id).await;
    assert!(found.expect("search Sent"), "the copy is in Sent");

    let (_, attempts) = engine.trace(&report.message_id).await.expect("trace");
    let trace = &attempts[0].trace;
    assert!(
        trace.contains(&format!("RCPT TO:<{}> NOTIFY=FAILURE,DELAY → 250", s.bob)),
        "{trace}"
    );
    assert!(trace.contains("TLS 1.3, TLS13_"), "{trace}");
    assert!(
        trace.contains("certificate CN=localhost (verified)"),
        "{trace}"
    );
    assert!(
        !trace.contains(password),
        "the trace holds the password:\n{trace}"
    );
}
