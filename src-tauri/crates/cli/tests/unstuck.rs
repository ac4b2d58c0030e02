//! Unstuck after a refused password, in scripted use: a send refused for a wrong
//! `COURRIEL_PASSWORD` marks the account "needs sign-in" and the message waits; the
//! right password given to a later run (`outbox --resume`, `outbox --run`, or
//! `account signin` where there is no keychain) clears the mark and lets the mail go.

use std::path::Path;
use std::process::{Command, Output};

use courriel_engine::api::{Draft, OutboxState};
use courriel_engine::Engine;
use courriel_tests::Servers;

/// `courriel` with `password` for this run and no keychain reachable (no D-Bus session).
fn courriel(dir: &Path, password: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_courriel"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("COURRIEL_PASSWORD", password)
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/courriel-test-bus",
        )
        .output()
        .expect("run courriel")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A message queued after a refusal: the account is marked, the message waits.
async fn refused(servers: &Servers, dir: &Path, engine: &Engine, subject: &str) -> String {
    let alice = servers.get("ALICE");
    let draft = Draft {
        to: vec![servers.get("BOB").into()],
        subject: subject.into(),
        body: "x".into(),
        ..Default::default()
    };
    let queued = engine.queue(alice, draft, None).await.expect("queue");
    let out = courriel(dir, "wrong", &["outbox", "--resume"]);
    assert!(!out.status.success(), "refused: {}", text(&out));
    let account = engine.account(alice).await.expect("account");
    assert!(account.needs_signin.is_some(), "marked: {account:?}");
    queued.message_id
}

async fn state_of(engine: &Engine, message_id: &str) -> OutboxState {
    let (report, _) = engine.trace(message_id).await.expect("trace");
    report.state
}

#[tokio::test(flavor = "multi_thread")]
async fn the_right_password_for_a_later_run_releases_the_queue() {
    let servers = Servers::start();
    let dir = tempfile::tempdir().expect("data dir");
    let engine = Engine::open(dir.path(), servers.secrets()).expect("engine");
    engine
        .add_account(servers.account("alice"))
        .await
        .expect("alice");
    let right = servers.get("ALICE_PASSWORD");
    let alice = servers.get("ALICE");

    for verb in [&["outbox", "--resume"][..], &["outbox", "--run", "0"][..]] {
        let id = refused(&servers, dir.path(), &engine, &verb.join(" ")).await;
        let out = courriel(dir.path(), right, verb);
        assert!(out.status.success(), "{verb:?}: {}", text(&out));
        assert_eq!(
            state_of(&engine, &id).await,
            OutboxState::CopiedToSent,
            "{verb:?}"
        );
        let account = engine.account(alice).await.expect("account");
        assert_eq!(account.needs_signin, None, "{verb:?} cleared the mark");
    }

    // No keychain here: `account signin` checks the password and clears the mark.
    let id = refused(&servers, dir.path(), &engine, "signin").await;
    let out = courriel(dir.path(), "wrong", &["account", "signin", alice]);
    assert!(!out.status.success(), "a wrong password is refused");
    assert!(!text(&out).contains("has no keychain"), "{}", text(&out));
    let out = courriel(dir.path(), right, &["account", "signin", alice]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("nothing was saved"), "{}", text(&out));
    let account = engine.account(alice).await.expect("account");
    assert_eq!(account.needs_signin, None);
    let out = courriel(dir.path(), right, &["outbox", "--run", "0"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(state_of(&engine, &id).await, OutboxState::CopiedToSent);
}
