//! `courriel send`, `sync`, `bounces` and `outbox` against the real Postfix: a message to
//! full.example.test is accepted, then bounced by the far server (the rig's relay
//! listener answers 552 5.2.2); after a sync the CLI shows the bounce, and the outbox
//! shows the recipient's later fate under the message.

mod common;

use std::path::Path;
use std::process::Output;

use courriel_engine::Engine;
use courriel_tests::Servers;

fn courriel(dir: &Path, password: &str, args: &[&str]) -> Output {
    common::without_keychain(dir, password, args)
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bounce_shows_in_bounces_and_under_the_outbox_message() {
    let servers = Servers::start();
    let dir = tempfile::tempdir().expect("data dir");
    {
        let engine = Engine::open(dir.path(), servers.secrets()).expect("engine");
        engine
            .add_account(servers.account("alice"))
            .await
            .expect("alice");
    }
    let (alice, password) = (servers.get("ALICE"), servers.get("ALICE_PASSWORD"));
    let (d, p) = (dir.path(), password);
    let none = stdout(&courriel(d, p, &["bounces"]));
    assert!(none.contains("no delivery reports"), "{none}");
    let send = [
        "send",
        "--account",
        alice,
        "--to",
        "bob@full.example.test",
        "--subject",
        "Budget",
        "--body",
        "x",
    ];
    stdout(&courriel(d, p, &send));
    servers.wait_for_delivery();
    stdout(&courriel(d, p, &["sync", "--account", alice]));

    let bounces = stdout(&courriel(d, p, &["bounces"]));
    assert!(
        bounces.contains("about \"Budget\": outbox #1 (matched by envelope id)"),
        "{bounces}"
    );
    assert!(
        bounces.contains("bob@full.example.test: bounced"),
        "{bounces}"
    );
    assert!(
        bounces.contains("The recipient's mailbox is full."),
        "{bounces}"
    );
    assert!(bounces.contains("the server said: 552 5.2.2"), "{bounces}");
    let outbox = stdout(&courriel(d, p, &["outbox"]));
    assert!(
        outbox.contains("later: bob@full.example.test: bounced"),
        "{outbox}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&courriel(d, p, &["bounces", "--json"]))).expect("json");
    assert_eq!(json[0]["recipients"][0]["status"], "5.2.2", "{json}");
}
