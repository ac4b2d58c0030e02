//! `courriel folder create|rename|delete` and `courriel unsubscribe` against the real
//! Dovecot and Postfix, as a script drives them (--json), and their refusals' exit codes.

mod common;

use std::path::Path;
use std::process::Output;

use courriel_engine::Engine;
use courriel_tests::Servers;
use serde_json::Value;

fn run(dir: &Path, servers: &Servers, args: &[&str]) -> Output {
    common::output(dir, servers.get("ALICE_PASSWORD"), args)
}

fn courriel(dir: &Path, servers: &Servers, args: &[&str]) -> Value {
    common::json(dir, servers.get("ALICE_PASSWORD"), args)
}

fn listed(servers: &Servers, user: &str) -> String {
    servers
        .doveadm(&["mailbox", "list", "-u", user])
        .expect("doveadm")
}

#[tokio::test(flavor = "multi_thread")]
async fn folders_and_unsubscribe_from_the_command_line() {
    let servers = Servers::start();
    let dir = tempfile::tempdir().expect("data dir");
    let alice = Engine::open(dir.path(), servers.secrets())
        .expect("engine")
        .add_account(servers.account("alice"))
        .await
        .expect("alice")
        .email;
    let bob = servers.get("BOB").to_owned();
    let letter = format!(
        "From: News <news@lists.example.test>\r\nTo: {alice}\r\nSubject: Weekly\r\n\
         Date: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <weekly@lists.example.test>\r\n\
         List-Unsubscribe: <mailto:{bob}?subject=leave%20weekly>\r\n\r\nNews.\r\n"
    );
    servers.deliver_raw("alice", "weekly-1", letter.as_bytes());
    courriel(
        dir.path(),
        &servers,
        &["sync", "--account", &alice, "--json"],
    );

    let made = courriel(
        dir.path(),
        &servers,
        &["folder", "create", "--account", &alice, "Été", "--json"],
    );
    assert_eq!(made["displayName"], "Été");
    assert_eq!(made["name"], "&AMk-t&AOk-");
    assert!(listed(&servers, &alice).lines().any(|l| l == "Été"));
    let renamed = courriel(
        dir.path(),
        &servers,
        &[
            "folder",
            "rename",
            "--account",
            &alice,
            "Été",
            "Été 2026",
            "--json",
        ],
    );
    assert_eq!(renamed["displayName"], "Été 2026");
    assert_eq!(renamed["id"], made["id"]);
    let now = listed(&servers, &alice);
    assert!(
        now.lines().any(|l| l == "Été 2026") && !now.lines().any(|l| l == "Été"),
        "{now}"
    );

    // Refusals: a special-use folder, a name holding the delimiter; a config error's code.
    let sent = run(
        dir.path(),
        &servers,
        &["folder", "delete", "--account", &alice, "Sent"],
    );
    assert!(!sent.status.success());
    assert!(
        String::from_utf8_lossy(&sent.stderr).contains("Sent"),
        "{sent:?}"
    );
    let slash = run(
        dir.path(),
        &servers,
        &["folder", "create", "--account", &alice, "a/b"],
    );
    assert!(
        String::from_utf8_lossy(&slash.stderr).contains("separates folders"),
        "{slash:?}"
    );

    let deleted = courriel(
        dir.path(),
        &servers,
        &[
            "folder",
            "delete",
            "--account",
            &alice,
            "Été 2026",
            "--json",
        ],
    );
    assert_eq!(deleted["deleted"], "Été 2026");
    assert!(!listed(&servers, &alice).contains("Été"));

    // Unsubscribe: the plan first, then the request through the outbox to bob.
    let list = courriel(dir.path(), &servers, &["list", "--json"]);
    let id = list.as_array().expect("list")[0]["id"].to_string();
    let plan = courriel(
        dir.path(),
        &servers,
        &["unsubscribe", &id, "--plan", "--json"],
    );
    assert_eq!(plan["kind"], "mail");
    assert_eq!(plan["host"], bob.as_str());
    let done = courriel(dir.path(), &servers, &["unsubscribe", &id, "--json"]);
    assert_eq!(done["plan"]["kind"], "mail");
    assert!(done["outboxId"].is_number(), "{done}");
    servers.wait_for_delivery();
    let maildir = servers.get("MAILDIR_BOB");
    let found = servers
        .doveadm(&[
            "search",
            "-u",
            &bob,
            "mailbox",
            "INBOX",
            "subject",
            "leave weekly",
        ])
        .expect("doveadm search");
    assert!(!found.trim().is_empty(), "bob got the request ({maildir})");
}
