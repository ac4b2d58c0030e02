//! Attachments of a real message (delivered to Dovecot, synced): the reader shows names
//! that cannot hide their extension, Open asks before anything that runs (by name or by
//! content) and writes only into the private directory, 0600; Save stays one click.

// The modes checked here are Unix's (Dovecot, which these tests drive, is too).
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use courriel_engine::api::{Opening, RunnableKind};
use courriel_engine::attachments::Scratch;
use courriel_tests::{engine, Servers};

fn message(to: &str) -> Vec<u8> {
    let part = |name: &str, base64: &str| {
        format!(
            "--b\r\nContent-Type: application/octet-stream\r\n\
             Content-Disposition: attachment; filename*=utf-8''{name}\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{base64}\r\n"
        )
    };
    format!(
        "From: Zoe <zoe@example.test>\r\nTo: {to}\r\nSubject: Four files\r\n\
         Date: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <four@example.test>\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n{}{}{}{}--b--\r\n",
        part("notes.txt", "UXVhcnRlcmx5IG51bWJlcnMuCg=="), // "Quarterly numbers.\n"
        part("setup.exe", "TVqQAAMAAAA="),                 // MZ...
        part("holiday.jpg", "f0VMRgIBAQA="),               // \x7fELF...
        part("invoice%E2%80%AEfdp.exe", "JVBERi0xLjQK"),   // %PDF-1.4, named with U+202E
    )
    .into_bytes()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).expect("stat").permissions().mode() & 0o7777
}

#[tokio::test(flavor = "multi_thread")]
async fn open_asks_before_anything_that_runs_and_names_cannot_lie() {
    let servers = Servers::start();
    let bob = servers.get("BOB").to_owned();
    servers.deliver_raw("bob", "four-files", &message(&bob));
    let (engine, _data) = engine(servers.secrets());
    engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob");
    engine.sync(&bob).await.expect("sync");
    let id = engine
        .folder_messages(&bob, "inbox", 10)
        .await
        .expect("inbox")[0]
        .id;
    let detail = engine.show(id).await.expect("show");
    let names: Vec<&str> = detail
        .attachments
        .iter()
        .map(|a| a.filename.as_str())
        .collect();
    assert_eq!(
        names,
        ["notes.txt", "setup.exe", "holiday.jpg", "invoicefdp.exe"]
    );
    let part = |n: usize| detail.attachments[n].part.clone();

    let dirs = tempfile::tempdir().expect("dirs");
    let scratch = Scratch::choose(None, Some(&dirs.path().join("cache"))).expect("scratch");
    let opened = |o: Opening| match o {
        Opening::Opened { path } => path,
        other => panic!("not opened: {other:?}"),
    };
    let asked = |o: Opening| match o {
        Opening::NeedsConfirmation { runnable } => runnable,
        other => panic!("opened without asking: {other:?}"),
    };

    let notes = opened(
        engine
            .open_attachment(id, &part(0), false, &scratch)
            .await
            .expect("open"),
    );
    assert_eq!(Path::new(&notes), scratch.dir().join("notes.txt"));
    assert_eq!(
        std::fs::read(&notes).expect("read"),
        b"Quarterly numbers.\n"
    );
    assert_eq!(mode(Path::new(&notes)), 0o600);

    let setup = asked(
        engine
            .open_attachment(id, &part(1), false, &scratch)
            .await
            .expect("ask"),
    );
    assert_eq!(
        (setup.kind, setup.extension.as_str(), setup.by_content),
        (RunnableKind::WindowsProgram, "exe", false)
    );
    assert!(
        !scratch.dir().join("setup.exe").exists(),
        "written before the user said yes"
    );
    let setup = opened(
        engine
            .open_attachment(id, &part(1), true, &scratch)
            .await
            .expect("open"),
    );
    assert_eq!(mode(Path::new(&setup)), 0o600, "never executable");

    let photo = asked(
        engine
            .open_attachment(id, &part(2), false, &scratch)
            .await
            .expect("ask"),
    );
    assert_eq!(
        (photo.kind, photo.by_content),
        (RunnableKind::LinuxProgram, true)
    );
    let invoice = asked(
        engine
            .open_attachment(id, &part(3), false, &scratch)
            .await
            .expect("ask"),
    );
    assert_eq!(invoice.extension, "exe");

    // Save: one click whatever the type, under the name the reader shows.
    let downloads = dirs.path().join("Downloads");
    let saved = engine
        .save_attachment(id, &part(3), &downloads)
        .await
        .expect("save");
    assert_eq!(saved, downloads.join("invoicefdp.exe"));
    assert_eq!(mode(&saved), 0o600);
    // Save as, where the system's dialog said: the user's name made safe too (no
    // right-to-left override survives a typed name), and never over the file there.
    let renamed = engine
        .save_attachment_as(id, &part(3), &downloads, "invoicefdp.exe")
        .await
        .expect("save as");
    assert_eq!(renamed, downloads.join("invoicefdp (2).exe"));
    let typed = engine
        .save_attachment_as(id, &part(3), &downloads, "bill\u{202e}fdp.exe")
        .await
        .expect("save as a typed name");
    assert_eq!(typed, downloads.join("billfdp.exe"));
    assert_eq!(mode(&typed), 0o600);
    assert_eq!(scratch.clear().expect("clear"), 2);
}
