//! Messages over the server's size limit (EHLO `SIZE`, RFC 1870) against the real Postfix,
//! whose default limit is 10,240,000 bytes: refused before anything is uploaded, in plain
//! words, kept to be edited; the limit counts the encoded message, not the attachment.

use base64::Engine as _;
use courriel_engine::api::{Attachment, Draft, OutboxState};
use courriel_engine::ErrorKind;
use courriel_tests::{engine, Servers};

/// 7.8 MB of attachment: under the limit as a file, over it once base64-encoded.
fn big(to: &str) -> Draft {
    let bytes: Vec<u8> = (0..7_800_000u64).map(|i| (i * 7919 % 251) as u8).collect();
    Draft {
        to: vec![to.into()],
        subject: "too big".into(),
        body: "see attached".into(),
        attachments: vec![Attachment {
            filename: "scan.bin".into(),
            data_base64: Some(base64::engine::general_purpose::STANDARD.encode(bytes)),
            ..Default::default()
        }],
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_over_the_servers_size_is_refused_before_anything_is_uploaded() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("alice");
    let bob = servers.get("BOB");
    assert_eq!(
        engine.send_size_limit(&alice.email).await.expect("limit"),
        None
    );

    // The limit is not known yet: learned from EHLO, checked before MAIL FROM.
    let err = engine
        .send(&alice.email, big(bob))
        .await
        .expect_err("over the limit");
    assert_eq!(err.kind, ErrorKind::TooLarge, "{err:?}");
    assert!(
        err.message.contains("this message is 10 MB")
            && err
                .message
                .contains("accepts at most 9.8 MB: remove or shrink attachments"),
        "{}",
        err.message
    );
    let outbox = engine.outbox().await.expect("outbox");
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].state, OutboxState::Failed, "{:?}", outbox[0]);
    assert!(outbox[0]
        .last_error
        .as_deref()
        .unwrap_or("")
        .contains("accepts at most"));
    let (_, attempts) = engine.trace(&outbox[0].message_id).await.expect("trace");
    let trace = &attempts[0].trace;
    assert!(trace.contains("SIZE 10240000"), "{trace}");
    assert!(trace.contains("not sent, nothing uploaded"), "{trace}");
    assert!(
        !trace.contains("MAIL FROM"),
        "nothing was uploaded:\n{trace}"
    );
    let reopened = engine
        .outbox_draft(&outbox[0].message_id)
        .await
        .expect("kept to be edited");
    assert_eq!(reopened.attachments.len(), 1);

    // Now known: refused at once, nothing queued.
    assert_eq!(
        engine.send_size_limit(&alice.email).await.expect("limit"),
        Some(10_240_000)
    );
    let err = engine
        .queue(&alice.email, big(bob), None)
        .await
        .expect_err("refused at Send");
    assert_eq!(err.kind, ErrorKind::TooLarge);
    assert_eq!(
        engine.outbox().await.expect("outbox").len(),
        1,
        "nothing queued"
    );

    // A message under the limit declares its size in MAIL FROM.
    let small = Draft {
        to: vec![bob.into()],
        subject: "small".into(),
        body: "fits".into(),
        ..Default::default()
    };
    let report = engine.send(&alice.email, small).await.expect("send");
    assert_eq!(report.state, OutboxState::CopiedToSent, "{report:?}");
    let (_, attempts) = engine.trace(&report.message_id).await.expect("trace");
    assert!(attempts[0].trace.contains("SIZE="), "{}", attempts[0].trace);
}
