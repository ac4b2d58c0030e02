//! Large messages against a real Dovecot: a 20 MB message inside the body window comes
//! down in 4 MB pieces through a private file (`imap::large`) and is cached byte for
//! byte; an old one, outside the window, does the same when opened; one over 100 MB is
//! cached with its headers only and opening it says why.

use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, SystemTime};

use courriel_engine::ErrorKind;
use courriel_tests::{engine, Servers};

/// A message of about `mb` MB: a short text and an attachment of bytes that do not
/// compress, base64 in lines of 76.
fn big_message(to: &str, subject: &str, mb: usize) -> Vec<u8> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15 ^ mb as u64;
    let raw_len = mb * 1024 * 1024 * 3 / 4;
    let bytes: Vec<u8> = (0..raw_len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
    let mut m = format!(
        "From: Zoe <zoe@example.test>\nTo: {to}\nSubject: {subject}\n\
         Message-ID: <{subject}@example.test>\nDate: Mon, 1 Dec 2025 10:00:00 +0000\n\
         MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n\
         --b\nContent-Type: text/plain\n\nThe video is attached.\n\
         --b\nContent-Type: video/mp4\nContent-Disposition: attachment; filename=\"v.mp4\"\n\
         Content-Transfer-Encoding: base64\n\n"
    )
    .into_bytes();
    for line in b64.as_bytes().chunks(76) {
        m.extend_from_slice(line);
        m.push(b'\n');
    }
    m.extend_from_slice(b"--b--\n");
    m
}

fn lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for (i, b) in bytes.iter().enumerate() {
        if !(*b == b'\r' && bytes.get(i + 1) == Some(&b'\n')) {
            out.push(*b);
        }
    }
    out
}

/// Deliver `raw` into bob's INBOX, dated `age` ago (its INTERNALDATE, which the body
/// window reads, is the file's time in a maildir).
fn deliver(servers: &Servers, name: &str, raw: &[u8], age: Duration) {
    servers.deliver_raw("bob", name, raw);
    let new = std::path::PathBuf::from(servers.get("MAILDIR_BOB"))
        .join("new")
        .join(name);
    let file = std::fs::File::options()
        .write(true)
        .open(&new)
        .expect("delivered");
    file.set_modified(SystemTime::now() - age).expect("mtime");
}

struct Memory {
    now: u64,
    peak: u64,
}

/// This process's resident memory now and at its peak since the last call, in bytes
/// (Linux: the peak is reset through /proc/self/clear_refs).
fn memory() -> Memory {
    let status = std::fs::read_to_string("/proc/self/status").expect("status");
    let kb = |key: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .expect("a memory figure")
            * 1024
    };
    let m = Memory {
        now: kb("VmRSS:"),
        peak: kb("VmHWM:"),
    };
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak");
    m
}

#[tokio::test(flavor = "multi_thread")]
async fn large_messages_come_in_pieces_and_arrive_whole() {
    let servers = Servers::start();
    let bob = servers.get("BOB").to_owned();
    let recent = big_message(&bob, "recent", 20);
    let old = big_message(&bob, "old", 12);
    let huge = big_message(&bob, "huge", 101);
    deliver(&servers, "recent", &recent, Duration::from_secs(3600));
    deliver(&servers, "old", &old, Duration::from_secs(400 * 86_400));
    deliver(&servers, "huge", &huge, Duration::from_secs(7200));
    deliver(
        &servers,
        "small",
        b"Subject: small\n\nhello\n",
        Duration::ZERO,
    );
    drop(huge);
    let (engine, data) = engine(servers.secrets());
    engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob");
    let before = memory();
    let report = engine.sync(&bob).await.expect("sync");
    assert_eq!(report.new_messages, 4);
    // The sync's peak: the 20 MB message parsed and cached (mail-parser and SQLite want
    // it whole) but never the 101 MB one, and no 20 MB literal beside its copy.
    let grew = memory().peak.saturating_sub(before.now) >> 20;
    eprintln!("the sync's peak memory above the start: {grew} MB");
    assert!(grew < 200, "the sync took {grew} MB more at its peak");

    let inbox = engine
        .folder_messages(&bob, "inbox", 10)
        .await
        .expect("inbox");
    let id = |subject: &str| {
        inbox
            .iter()
            .find(|m| m.subject == subject)
            .unwrap_or_else(|| panic!("{subject} cached"))
            .id
    };
    let store = engine.store();
    assert_eq!(lf(&store.raw(id("recent")).expect("raw")), recent);
    assert!(store.has_body(id("small")).expect("ok"));
    assert!(
        !store.has_body(id("old")).expect("ok"),
        "outside the window"
    );
    assert!(!store.has_body(id("huge")).expect("ok"), "over 100 MB");

    // Opened: the old one comes down in pieces too.
    let shown = engine.show(id("old")).await.expect("show old");
    assert_eq!(shown.attachments[0].filename, "v.mp4");
    assert_eq!(lf(&store.raw(id("old")).expect("raw")), old);
    let e = engine
        .show(id("huge"))
        .await
        .expect_err("too large to open");
    assert_eq!(e.kind, ErrorKind::TooLarge, "{e}");
    assert!(e.message.contains("larger than 100 MB"), "{e}");

    // The pieces went through a private directory, and nothing is left in it.
    let tmp = data.path().join("tmp");
    let mode = std::fs::metadata(&tmp).expect("tmp/").permissions().mode();
    assert_eq!(mode & 0o777, 0o700);
    assert_eq!(std::fs::read_dir(&tmp).expect("tmp/").count(), 0);
}
