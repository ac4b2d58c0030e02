//! View source and Save as .eml against the real Dovecot: the bytes the server holds come
//! back as they are (headers and all, nothing repaired or sanitized), and the saved file is
//! named after the subject (made safe) and readable by its owner only.

use courriel_tests::{engine, Servers};

#[tokio::test(flavor = "multi_thread")]
async fn the_source_is_the_servers_bytes_and_saves_as_eml() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("alice");
    let raw = "From: Zoe <zoe@example.test>\r\nTo: alice@example.test\r\n\
               Subject: Q3 / Q4 figures\r\nX-Odd-Header: kept as is\r\n\
               Date: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <source@example.test>\r\n\
               Content-Type: text/html\r\n\r\n<p onclick=\"x()\">Hello</p>\r\n";
    servers.deliver_raw("alice", "source-1", raw.as_bytes());
    engine.sync(&alice.email).await.expect("sync");
    let id = engine
        .list_inbox(50)
        .await
        .expect("inbox")
        .into_iter()
        .find(|m| m.message_id.as_deref() == Some("source@example.test"))
        .expect("the message")
        .id;
    let source = engine.source(id).await.expect("source");
    assert_eq!(
        String::from_utf8_lossy(&source),
        raw,
        "the server's bytes, untouched"
    );

    let downloads = tempfile::tempdir().expect("downloads");
    let saved = engine.save_eml(id, downloads.path()).await.expect("save");
    assert_eq!(
        saved.file_name().and_then(|n| n.to_str()),
        Some("Q3 - Q4 figures.eml")
    );
    assert_eq!(std::fs::read(&saved).expect("saved"), source);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&saved)
            .expect("meta")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
    let again = engine
        .save_eml(id, downloads.path())
        .await
        .expect("save again");
    assert_eq!(
        again.file_name().and_then(|n| n.to_str()),
        Some("Q3 - Q4 figures (2).eml")
    );

    // "Save as" where the system's dialog said: the name it suggests, then the user's
    // folder and name, never over a file already there (even one the dialog offered to
    // replace).
    assert_eq!(
        engine.eml_file_name(id).await.expect("name"),
        "Q3 - Q4 figures.eml"
    );
    let chosen = tempfile::tempdir().expect("chosen");
    std::fs::write(chosen.path().join("kept.eml"), b"mine").expect("existing file");
    let as_named = engine
        .save_eml_as(id, chosen.path(), "kept.eml")
        .await
        .expect("save as");
    assert_eq!(as_named, chosen.path().join("kept (2).eml"));
    assert_eq!(std::fs::read(&as_named).expect("saved as"), source);
    assert_eq!(
        std::fs::read(chosen.path().join("kept.eml")).expect("kept"),
        b"mine"
    );
}
