//! The delivery ledger against the real Postfix: a message accepted at submission and
//! bounced afterwards (mail to full.example.test goes to Postfix's error transport, which
//! answers 5.2.2 "Mailbox full" as a far server would) comes back as a DSN in the sender's
//! INBOX; the sync reads it, matches it to the outbox message and explains it.
//!
//! Through 587, Postfix offers DSN: the message asks for it (RET=HDRS, ENVID, NOTIFY) and
//! the report is matched by its envelope id. Through 465 (the rig's submissions listener
//! offers no DSN, like Gmail), the same report is matched by the returned Message-ID.

use courriel_engine::api::{DeliveryAction, Draft, OutboxState, Security};
use courriel_engine::lang::Lang;
use courriel_tests::{engine, Servers};

fn to_a_full_mailbox(subject: &str) -> Draft {
    Draft {
        to: vec!["bob@full.example.test".into()],
        subject: subject.into(),
        body: "The figures are attached.".into(),
        ..Default::default()
    }
}

async fn bounce_is_linked(through_465: bool) {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let mut account = servers.account("alice");
    if through_465 {
        account.smtp = servers.endpoint("SUBMISSIONS_PORT", Security::Tls);
    }
    let alice = engine.add_account(account).await.expect("alice");
    let subject = if through_465 {
        "Budget (465)"
    } else {
        "Budget"
    };
    let report = engine
        .send(&alice.email, to_a_full_mailbox(subject))
        .await
        .expect("accepted at submission");
    let accepted = matches!(
        report.state,
        OutboxState::Accepted | OutboxState::CopiedToSent
    );
    assert!(accepted, "{report:?}");
    let (_, attempts) = engine.trace(&report.message_id).await.expect("trace");
    let trace = &attempts[0].trace;
    let envid = format!("ENVID={}", report.message_id.trim_matches(['<', '>']));
    assert_eq!(trace.contains(&envid), !through_465, "{trace}");
    assert_eq!(
        trace.contains("NOTIFY=FAILURE,DELAY"),
        !through_465,
        "{trace}"
    );

    servers.wait_for_delivery(); // the bounce too
    engine.sync(&alice.email).await.expect("sync");

    let reports = engine.delivery_reports(10).await.expect("reports");
    assert_eq!(reports.len(), 1, "{reports:#?}");
    let found = &reports[0];
    assert_eq!(found.outbox_id, Some(report.outbox_id));
    let by = if through_465 {
        "message_id"
    } else {
        "envelope_id"
    };
    assert_eq!(found.matched_by.as_deref(), Some(by));
    assert_eq!(found.original_subject.as_deref(), Some(subject));
    let fate = &found.recipients[0];
    assert_eq!(fate.address, "bob@full.example.test");
    assert_eq!(fate.action, DeliveryAction::Failed);
    assert_eq!(fate.status.as_deref(), Some("5.2.2"));
    assert!(fate.explanation.en.contains("mailbox is full"), "{fate:?}");
    assert!(fate.explanation.fr.contains("pleine"), "{fate:?}");
    let headline = format!(
        "Your message \u{201c}{subject}\u{201d} to bob@full.example.test could not be delivered"
    );
    assert_eq!(fate.headline.en, headline);
    assert!(fate.after_accepted.is_some_and(|s| s >= 0), "{fate:?}");

    // The outbox shows the recipient's later fate; the reader finds the report by id.
    let items = engine.outbox_items(Lang::En).await.expect("outbox");
    let item = items
        .iter()
        .find(|i| i.report.outbox_id == report.outbox_id)
        .expect("item");
    assert_eq!(item.later.len(), 1, "{item:?}");
    assert_eq!(item.later[0].status.as_deref(), Some("5.2.2"));
    let opened = engine
        .delivery_report(found.report_id)
        .await
        .expect("report");
    assert_eq!(opened.as_ref().map(|r| r.report_id), Some(found.report_id));
    let shown = engine.show(found.report_id).await.expect("show the bounce");
    assert_eq!(
        shown.delivery.map(|d| d.outbox_id),
        Some(Some(report.outbox_id))
    );

    // Read once: a second sync finds nothing new and keeps the one report.
    engine.sync(&alice.email).await.expect("sync again");
    assert_eq!(engine.delivery_reports(10).await.expect("reports").len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bounce_after_acceptance_is_matched_by_its_envelope_id() {
    bounce_is_linked(false).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_dsn_a_bounce_is_matched_by_the_returned_message_id() {
    bounce_is_linked(true).await;
}
