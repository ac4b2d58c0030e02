//! The outbox against the real servers: many messages over one session, in order.

use courriel_engine::api::{Draft, OutboxState};
use courriel_tests::{engine, Servers};

fn draft(to: &str, subject: &str) -> Draft {
    Draft {
        to: vec![to.into()],
        cc: vec![],
        bcc: vec![],
        subject: subject.into(),
        body: "queued".into(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn queued_messages_leave_in_order_over_one_session() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("alice");
    let bob = servers.get("BOB");
    let mut ids = Vec::new();
    for n in 1..=3 {
        let queued = engine
            .queue(&alice.email, draft(bob, &format!("m{n}")), None)
            .await
            .expect("queue");
        assert_eq!(queued.state, OutboxState::Queued);
        assert_eq!(queued.attempts, 0, "nothing goes out before delivery");
        ids.push(queued.outbox_id);
    }
    engine.deliver_due(&alice).await.expect("deliver");
    let mut started = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        let (report, attempts) = engine.trace(&id.to_string()).await.expect("trace");
        assert_eq!(report.state, OutboxState::CopiedToSent, "{report:?}");
        assert_eq!(attempts.len(), 1);
        let trace = &attempts[0].trace;
        let reused = trace.contains("reusing the session");
        assert_eq!(reused, n > 0, "message {n}:\n{trace}");
        assert_eq!(
            trace.contains("authenticated as"),
            n == 0,
            "one AUTH in all:\n{trace}"
        );
        started.push(attempts[0].started_at);
    }
    assert!(
        started.windows(2).all(|w| w[0] <= w[1]),
        "queue order: {started:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_held_message_waits_for_its_time() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("alice");
    let later = i64::MAX / 2;
    let held = engine
        .queue(
            &alice.email,
            draft(servers.get("BOB"), "later"),
            Some(later),
        )
        .await
        .expect("queue");
    engine.deliver_due(&alice).await.expect("deliver");
    let (report, attempts) = engine.trace(&held.message_id).await.expect("trace");
    assert_eq!(report.state, OutboxState::Queued);
    assert_eq!(report.next_attempt_at, Some(later));
    assert!(attempts.is_empty(), "not attempted before its time");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_large_send_is_paced_across_minutes_and_restarts_and_finishes() {
    use std::sync::atomic::{AtomicI64, Ordering};
    use std::sync::Arc;

    let servers = Servers::start();
    let dir = tempfile::tempdir().expect("data dir");
    let t0 = courriel_engine::clock::system_now();
    let clock = Arc::new(AtomicI64::new(t0));
    let open = || {
        let mut engine =
            courriel_engine::Engine::open(dir.path(), servers.secrets()).expect("open");
        let c = clock.clone();
        engine.set_clock(Arc::new(move || c.load(Ordering::SeqCst)));
        engine
    };
    let engine = open();
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("alice");
    engine
        .set_send_limits(&alice.email, 5, 0)
        .await
        .expect("limits");
    let to: Vec<String> = (1..=12)
        .map(|n| format!("pace{n:02}@example.test"))
        .collect();
    let message = Draft {
        to,
        ..draft("", "paced")
    };
    let queued = engine
        .queue(&alice.email, message, None)
        .await
        .expect("queue");
    let accepted = |r: &courriel_engine::api::SendReport| {
        r.recipients
            .iter()
            .filter(|r| r.state == courriel_engine::api::RecipientState::Accepted)
            .count()
    };

    engine.deliver_due(&alice).await.expect("first minute");
    let (first, _) = engine.trace(&queued.message_id).await.expect("trace");
    assert_eq!(accepted(&first), 5, "{first:?}");
    assert_eq!(first.state, OutboxState::Queued);
    assert_eq!(first.next_attempt_at, Some(t0 + 60), "{first:?}");

    // A restart within the same minute: the window is in the database, nothing goes out.
    drop(engine);
    let engine = open();
    engine.deliver_due(&alice).await.expect("same minute");
    let (same, _) = engine.trace(&queued.message_id).await.expect("trace");
    assert_eq!((accepted(&same), same.attempts), (5, 1));

    clock.store(t0 + 60, Ordering::SeqCst);
    engine.deliver_due(&alice).await.expect("second minute");
    clock.store(t0 + 120, Ordering::SeqCst);
    engine.deliver_due(&alice).await.expect("third minute");
    let (done, attempts) = engine.trace(&queued.message_id).await.expect("trace");
    assert_eq!(accepted(&done), 12, "{done:?}");
    assert_eq!(done.state, OutboxState::CopiedToSent);
    assert_eq!(attempts.len(), 3);
    assert!(
        attempts[0].trace.contains("sending limit: 5 of 12"),
        "{}",
        attempts[0].trace
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_down_reply_halves_the_rate() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("alice");
    let now = courriel_engine::clock::system_now();
    let before = engine.store().pacing_state(alice.id, now).expect("state");
    assert!(before.slowed_until <= now);
    // TEMPFAIL_RCPT answers 451 4.7.1 at RCPT: a "try later" that asks us to slow down.
    engine
        .send(&alice.email, draft(servers.get("TEMPFAIL_RCPT"), "slow"))
        .await
        .expect("send");
    let after = engine.store().pacing_state(alice.id, now).expect("state");
    assert!(after.slowed_until > now, "{after:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn run_outbox_sends_what_is_due_and_stops_at_its_deadline() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("alice");
    let bob = servers.get("BOB");
    let due = engine
        .queue(&alice.email, draft(bob, "due"), None)
        .await
        .expect("queue");
    let far = courriel_engine::clock::system_now() + 86_400;
    let held = engine
        .queue(&alice.email, draft(bob, "held"), Some(far))
        .await
        .expect("queue");
    let reports = engine.run_outbox(60).await.expect("run");
    let state = |id: i64| {
        reports
            .iter()
            .find(|r| r.outbox_id == id)
            .expect("report")
            .state
    };
    assert_eq!(state(due.outbox_id), OutboxState::CopiedToSent);
    assert_eq!(
        state(held.outbox_id),
        OutboxState::Queued,
        "past the deadline: not waited for"
    );
}

/// The link dies while the message is being transmitted: the server may or may not have
/// it, so the message is `uncertain`, not resent; the user decides.
#[tokio::test(flavor = "multi_thread")]
async fn a_link_lost_during_data_leaves_the_message_uncertain() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let mut account = servers.account("alice");
    // Implicit TLS through the proxy; cut once the client has sent ~100 KB, well inside
    // the 400 KB body and long after the handshake, AUTH and envelope.
    let proxy =
        courriel_tests::proxy::cutting_proxy(servers.port("SUBMISSIONS_PORT"), 100_000).await;
    account.smtp = servers.endpoint("SUBMISSIONS_PORT", courriel_engine::api::Security::Tls);
    account.smtp.port = proxy;
    account.smtp.host = "localhost".into();
    let alice = engine.add_account(account).await.expect("alice");
    let body = "All work and no play makes Jack a dull boy.\r\n".repeat(9000);
    let message = Draft {
        body,
        ..draft(servers.get("BOB"), "cut")
    };
    let report = engine
        .send(&alice.email, message)
        .await
        .expect("send returns a report");
    assert_eq!(report.state, OutboxState::Uncertain, "{report:?}");
    assert_eq!(report.attempts, 1);
    let again = engine.resume_outbox().await.expect("resume");
    assert_eq!(
        again[0].state,
        OutboxState::Uncertain,
        "never resent blindly"
    );
    assert_eq!(again[0].attempts, 1);
}

/// A refused token gets exactly one refresh and one retry.
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_token_is_refreshed_once_and_the_send_goes_through() {
    use courriel_engine::auth::secrets::{Secret, SecretStore};
    use std::sync::atomic::{AtomicU32, Ordering};

    struct Expired {
        good: String,
        refreshes: AtomicU32,
    }
    use courriel_engine::auth::secrets::SecretFuture;
    impl SecretStore for Expired {
        fn secret<'a>(&'a self, _: &'a courriel_engine::api::Account) -> SecretFuture<'a, Secret> {
            Box::pin(async { Ok(Secret::OAuth2Token("expired".into())) })
        }
        fn refresh<'a>(
            &'a self,
            _: &'a courriel_engine::api::Account,
        ) -> SecretFuture<'a, Option<Secret>> {
            self.refreshes.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Ok(Some(Secret::OAuth2Token(self.good.clone()))) })
        }
    }

    let servers = Servers::start();
    let secrets = std::sync::Arc::new(Expired {
        good: servers.get("ALICE_TOKEN").into(),
        refreshes: AtomicU32::new(0),
    });
    let dir = tempfile::tempdir().expect("dir");
    let engine = courriel_engine::Engine::open(dir.path(), secrets.clone()).expect("engine");
    let mut account = servers.account("alice");
    account.sent_copy = Some(courriel_engine::api::SentCopy::Provider); // SMTP only
    let alice = engine.add_account(account).await.expect("alice");
    let report = engine
        .send(&alice.email, draft(servers.get("BOB"), "refreshed"))
        .await
        .expect("send");
    assert_eq!(report.state, OutboxState::Accepted, "{report:?}");
    assert_eq!(secrets.refreshes.load(Ordering::SeqCst), 1);
    let (_, attempts) = engine.trace(&report.message_id).await.expect("trace");
    assert!(
        attempts[0].trace.contains("refreshed it, trying once more"),
        "{}",
        attempts[0].trace
    );
    assert!(!attempts[0].trace.contains(servers.get("ALICE_TOKEN")));
}

/// A non-ASCII local part goes out with SMTPUTF8, which Postfix offers.
#[tokio::test(flavor = "multi_thread")]
async fn an_internationalized_address_is_sent_with_smtputf8() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let mut account = servers.account("alice");
    account.sent_copy = Some(courriel_engine::api::SentCopy::Provider);
    let alice = engine.add_account(account).await.expect("alice");
    let report = engine
        .send(&alice.email, draft("zoë@example.test", "Grüße"))
        .await
        .expect("send");
    assert_eq!(report.state, OutboxState::Accepted, "{report:?}");
    assert_eq!(report.recipients[0].address, "zoë@example.test");
    assert_eq!(report.recipients[0].code, 250);
}

/// A 5xx fails the message at once, never retried, and it stays editable; a queued one
/// can be withdrawn (undo), a sent one cannot.
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_message_stays_editable_and_an_unsent_one_can_be_withdrawn() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("alice");
    let nobody = servers.get("REJECT_RCPT");
    let report = engine
        .send(&alice.email, draft(nobody, "refused"))
        .await
        .expect("send");
    assert_eq!(report.state, OutboxState::Failed, "{report:?}");
    assert_eq!(report.next_attempt_at, None, "a 5xx is never retried");
    let reopened = engine
        .outbox_draft(&report.message_id)
        .await
        .expect("draft");
    assert_eq!(reopened.to, [nobody]);
    assert_eq!(reopened.subject, "refused");
    assert_eq!(reopened.body.trim(), "queued");
    engine
        .discard(&report.message_id)
        .await
        .expect("discard the failed one");
    assert!(engine.outbox().await.expect("outbox").is_empty());

    let held = engine
        .queue(
            &alice.email,
            draft(servers.get("BOB"), "undo me"),
            Some(i64::MAX / 2),
        )
        .await
        .expect("queue");
    engine.discard(&held.message_id).await.expect("undo");
    let sent = engine
        .send(&alice.email, draft(servers.get("BOB"), "gone"))
        .await
        .expect("send");
    let err = engine
        .discard(&sent.message_id)
        .await
        .expect_err("already sent");
    assert_eq!(err.kind, courriel_engine::ErrorKind::Config);
}
