//! `courriel contacts` against the real Postfix and Dovecot: a message sent with `send`
//! makes its recipients contacts at once (with the name written); after a sync, senders
//! of received mail are contacts too, but not a mailing list's or a mailer daemon's; a
//! query finds by any word whatever its accents; `contacts forget` holds through syncs.

mod common;

use std::path::Path;
use std::process::Output;

use courriel_engine::Engine;
use courriel_tests::Servers;
use serde_json::Value;

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

/// The addresses `contacts QUERY --json` lists, best first.
fn found(dir: &Path, password: &str, query: &str) -> Vec<Value> {
    let out = stdout(&courriel(dir, password, &["contacts", query, "--json"]));
    serde_json::from_str::<Vec<Value>>(&out).expect("JSON")
}

fn addresses(contacts: &[Value]) -> Vec<&str> {
    contacts
        .iter()
        .map(|c| c["address"].as_str().unwrap_or_default())
        .collect()
}

fn received(from: &str, extra: &str, subject: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: alice@example.test\r\nSubject: {subject}\r\n\
         Date: Fri, 04 Dec 2026 10:00:00 +0000\r\nMessage-ID: <{subject}@example.test>\r\n\
         {extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n"
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread")]
async fn sent_and_received_mail_make_contacts_and_forget_holds() {
    let servers = Servers::start();
    let dir = tempfile::tempdir().expect("data dir");
    {
        let engine = Engine::open(dir.path(), servers.secrets()).expect("engine");
        engine
            .add_account(servers.account("alice"))
            .await
            .expect("alice");
    }
    let (alice, bob) = (servers.get("ALICE"), servers.get("BOB"));
    let (d, p) = (dir.path(), servers.get("ALICE_PASSWORD"));
    let to = format!("Zoë Durand <{bob}>");
    let send = [
        "send",
        "--account",
        alice,
        "--to",
        &to,
        "--subject",
        "Hi",
        "--body",
        "x",
    ];
    stdout(&courriel(d, p, &send));

    // Learned at once, by any word of the name, accents aside.
    let zoe = found(d, p, "ZOE dur");
    assert_eq!(addresses(&zoe), [bob.to_lowercase()]);
    assert_eq!(zoe[0]["name"], "Zoë Durand");
    assert_eq!(zoe[0]["sent"], 1);

    servers.deliver_raw(
        "alice",
        "1.elodie",
        &received("Élodie Noël <elodie@example.test>", "", "e1"),
    );
    let list = "List-Id: Team <team.example.test>\r\n";
    servers.deliver_raw(
        "alice",
        "2.list",
        &received("Team <team@example.test>", list, "l1"),
    );
    let daemon = "MAILER-DAEMON@example.test";
    servers.deliver_raw("alice", "3.daemon", &received(daemon, "", "d1"));
    stdout(&courriel(d, p, &["sync", "--account", alice]));

    assert_eq!(addresses(&found(d, p, "elodie")), ["elodie@example.test"]);
    assert_eq!(addresses(&found(d, p, "noel")), ["elodie@example.test"]);
    assert!(
        found(d, p, "team").is_empty(),
        "a list's sender is not a contact"
    );
    assert!(found(d, p, "mailer").is_empty(), "nor a mailer daemon");
    // Best first: the address written to before the one only heard from.
    let all = found(d, p, "");
    assert_eq!(addresses(&all)[0], bob.to_lowercase(), "{all:?}");

    let text = stdout(&courriel(d, p, &["contacts", "élo"]));
    assert!(
        text.contains("Élodie Noël <elodie@example.test>  sent 0, replied 0, received 1"),
        "{text}"
    );

    let forgot = stdout(&courriel(
        d,
        p,
        &["contacts", "forget", "Elodie@Example.test"],
    ));
    assert!(forgot.contains("forgot elodie@example.test"), "{forgot}");
    servers.deliver_raw(
        "alice",
        "4.elodie",
        &received("Élodie Noël <elodie@example.test>", "", "e2"),
    );
    stdout(&courriel(d, p, &["sync", "--account", alice]));
    assert!(
        found(d, p, "elodie").is_empty(),
        "forgotten stays forgotten"
    );
    let none = stdout(&courriel(d, p, &["contacts", "elodie"]));
    assert!(none.contains("no contacts match"), "{none}");
}
