//! What the CLI prints, as a script and a person meet it: a reader that stops early
//! (`courriel list --json | head -1`), a non-UTF-8 argument, times in local ISO 8601 with
//! their offset, recipients in words, and `COURRIEL_LOG=debug` saying what a send and a
//! sync do without a secret in sight.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use courriel_engine::Engine;
use courriel_tests::Servers;

fn courriel(dir: &Path, servers: &Servers) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_courriel"));
    c.arg("--data-dir")
        .arg(dir)
        .env("COURRIEL_PASSWORD", servers.get("BOB_PASSWORD"));
    c
}

async fn bob_with_mail(servers: &Servers, dir: &Path, count: usize) -> String {
    servers
        .seed("bob", None, count, 1_790_000_000)
        .expect("seed");
    let engine = Engine::open(dir, servers.secrets()).expect("engine");
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob")
        .email;
    engine.sync(&bob).await.expect("sync");
    bob
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_pipe_ends_the_cli_quietly() {
    let servers = Servers::start();
    let dir = tempfile::tempdir().expect("data dir");
    bob_with_mail(&servers, dir.path(), 600).await;
    let mut child = courriel(dir.path(), &servers)
        .args(["list", "--limit", "600", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run courriel");
    let mut first = [0u8; 64];
    let mut stdout = child.stdout.take().expect("stdout");
    stdout.read_exact(&mut first).expect("the first bytes");
    drop(stdout); // `head -1` has what it wanted
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() || out.status.code().is_none(),
        "status {:?}: {stderr}",
        out.status
    );
    assert!(stderr.is_empty(), "quiet: {stderr}");
}

#[test]
fn a_non_utf8_argument_is_one_usage_line() {
    let dir = tempfile::tempdir().expect("data dir");
    let out = Command::new(env!("CARGO_BIN_EXE_courriel"))
        .arg("--data-dir")
        .arg(dir.path())
        .arg("search")
        .arg(not_utf8())
        .output()
        .expect("run courriel");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error[usage]: "), "{stderr}");
}

/// "café" in Latin-1 (Unix: bytes), or with an unpaired surrogate (Windows: UTF-16).
#[cfg(unix)]
fn not_utf8() -> std::ffi::OsString {
    <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"caf\xe9").to_owned()
}

#[cfg(windows)]
fn not_utf8() -> std::ffi::OsString {
    std::os::windows::ffi::OsStringExt::from_wide(&[0x63, 0x61, 0x66, 0xd800])
}

#[tokio::test(flavor = "multi_thread")]
async fn times_are_local_with_their_offset_and_debug_logs_say_what_happens() {
    let servers = Servers::start();
    let dir = tempfile::tempdir().expect("data dir");
    let bob = bob_with_mail(&servers, dir.path(), 3).await;
    let password = servers.get("BOB_PASSWORD");
    let out = courriel(dir.path(), &servers)
        .args([
            "send",
            "--account",
            &bob,
            "--to",
            &bob,
            "--subject",
            "hi",
            "--body",
            "x",
        ])
        .env("COURRIEL_LOG", "debug")
        .env("TZ", "Asia/Kolkata")
        .output()
        .expect("send");
    let (stdout, log) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}{log}");
    for step in [
        "connected to",
        "TLS",
        "authenticated as",
        "MAIL FROM",
        "→ 250",
    ] {
        assert!(log.contains(step), "{step:?} logged:\n{log}");
    }
    assert!(!log.contains(password), "no secret in the log");
    assert!(
        stdout.contains(&format!("{bob}: accepted: 250")),
        "{stdout}"
    );

    let out = courriel(dir.path(), &servers)
        .args(["trace", "1"])
        .env("TZ", "Asia/Kolkata")
        .output()
        .expect("trace");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let attempt = text
        .lines()
        .find(|l| l.starts_with("attempt 1 at "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        attempt.contains("T") && attempt.contains("+05:30"),
        "{attempt}"
    );
    assert!(!text.contains("unix time"), "{text}");

    let out = courriel(dir.path(), &servers)
        .args(["sync", "--account", &bob])
        .env("COURRIEL_LOG", "debug")
        .output()
        .expect("sync");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    for step in ["TLS 1.", "signing in as", "→ UID FETCH", "← Ok"] {
        assert!(log.contains(step), "{step:?} logged:\n{log}");
    }
    assert!(!log.contains(password), "no secret in the log");

    let out = courriel(dir.path(), &servers)
        .args(["list", "--limit", "1"])
        .env("TZ", "Asia/Kolkata")
        .output()
        .expect("list");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("+05:30"), "{text}");
}
