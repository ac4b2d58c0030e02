//! Exactly once when several processes share one data directory: a `courriel send` is
//! parked by a proxy in front of the real Postfix (before MAIL, at DATA, after the final
//! dot), and meanwhile `courriel outbox --resume` and `courriel outbox --run` start on the
//! same data directory. Bob must receive exactly one copy, sent in one attempt.

use std::process::{Child, Command, Output};
use std::time::Duration;

use courriel_engine::api::{OutboxState, Security};
use courriel_engine::Engine;
use courriel_tests::smtp_proxy::{Hold, HoldingProxy};
use courriel_tests::Servers;

const HOLD: Duration = Duration::from_secs(3);

fn courriel(dir: &std::path::Path, servers: &Servers, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_courriel"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("COURRIEL_PASSWORD", servers.get("ALICE_PASSWORD"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run courriel")
}

async fn finished(child: Child) -> Output {
    tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("wait for courriel")
}

fn assert_ok(what: &str, out: &Output) {
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_send_in_progress_is_never_taken_over_by_another_process() {
    let servers = Servers::start();
    let dir = tempfile::tempdir().expect("data dir");
    let engine = Engine::open(dir.path(), servers.secrets()).expect("engine");
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob")
        .email;
    let proxy = HoldingProxy::start(&servers, HOLD).await;
    let mut alice = servers.account("alice");
    alice.smtp = servers.endpoint("SUBMISSIONS_PORT", Security::Tls);
    alice.smtp.port = proxy.port;
    let email = engine.add_account(alice).await.expect("alice").email;
    for (round, hold) in [Hold::BeforeMail, Hold::AtData, Hold::AfterDot]
        .into_iter()
        .enumerate()
    {
        proxy.arm(hold);
        let subject = format!("parked {hold:?}");
        let send = courriel(
            dir.path(),
            &servers,
            &[
                "send",
                "--account",
                &email,
                "--to",
                &bob,
                "--subject",
                &subject,
            ],
        );
        proxy.holding().await;
        // The send is parked mid-conversation: two more senders start on the same data.
        let resume = courriel(dir.path(), &servers, &["outbox", "--resume"]);
        let run = courriel(dir.path(), &servers, &["outbox", "--run", "2"]);
        for (what, child) in [
            ("send", send),
            ("outbox --resume", resume),
            ("outbox --run", run),
        ] {
            assert_ok(what, &finished(child).await);
        }
        let outbox = engine.outbox().await.expect("outbox");
        let report = outbox
            .iter()
            .find(|r| r.outbox_id == outbox[round].outbox_id)
            .expect("the message");
        assert_eq!(
            report.state,
            OutboxState::CopiedToSent,
            "{hold:?}: {report:?}"
        );
        assert_eq!(report.attempts, 1, "{hold:?}: attempted once: {report:?}");
        let copies = servers
            .copies_in_inbox(&engine, &bob, &report.message_id)
            .await;
        assert_eq!(copies, 1, "{hold:?}: bob has {copies} copies");
    }
}
