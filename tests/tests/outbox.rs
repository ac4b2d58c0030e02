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
