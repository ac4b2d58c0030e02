//! `courriel account add` as a new user runs it: only the address and the password (on
//! stdin); the servers come from DNS SRV records (a real dnsmasq), the login is checked
//! against the real Dovecot and Postfix, the password lands in the real Secret Service
//! (run under tests/keyring/session, as `make test` does) and later commands read it
//! from there.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use courriel_engine::auth::keychain::{Keychain, Kind, Vault};
use courriel_tests::dnsmasq::{Dnsmasq, Record};
use courriel_tests::Servers;

fn courriel(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_courriel"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("COURRIEL_PASSWORD")
        .env_remove("COURRIEL_OAUTH_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run courriel");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("courriel output")
}

#[test]
fn an_address_and_a_password_are_all_it_takes() {
    let servers = Servers::start();
    let srv = |name: &'static str, port: u16| Record::Srv {
        name,
        // The connection itself resolves through the system: localhost is in the
        // test certificate's names.
        target: Some("localhost"),
        port,
        priority: 0,
        weight: 1,
    };
    let dns = Dnsmasq::start(&[
        srv("_imaps._tcp.example.test", servers.port("IMAPS_PORT")),
        srv(
            "_submission._tcp.example.test",
            servers.port("SUBMISSION_PORT"),
        ),
    ]);
    let dir = tempfile::tempdir().expect("data dir");
    let email = servers.get("BOB").to_owned();
    assert!(email.ends_with("@example.test"), "{email}");
    let password = servers.get("BOB_PASSWORD").to_owned();
    let keychain = Keychain::open().expect("run under tests/keyring/session");
    keychain
        .delete(&email, Kind::Password)
        .expect("clean slate");
    let dns_addr = dns.addr.to_string();
    let add = |password: &str| {
        courriel(
            dir.path(),
            &[
                "account",
                "add",
                "--email",
                &email,
                "--password-stdin",
                "--dns",
                &dns_addr,
                "--ca-file",
                servers.get("CA_FILE"),
            ],
            &format!("{password}\n"),
        )
    };

    let refused = add("wrong");
    assert_eq!(
        refused.status.code(),
        Some(3),
        "an auth error: {}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let list = courriel(dir.path(), &["account", "list", "--json"], "");
    assert_eq!(
        String::from_utf8_lossy(&list.stdout).trim(),
        "[]",
        "nothing was saved"
    );

    let added = add(&password);
    let stderr = String::from_utf8_lossy(&added.stderr);
    assert!(added.status.success(), "{stderr}");
    assert!(
        stderr.contains("SRV"),
        "where the settings came from: {stderr}"
    );
    assert!(
        stderr.contains(&format!("localhost:{}", servers.port("IMAPS_PORT"))),
        "{stderr}"
    );
    assert!(!String::from_utf8_lossy(&added.stdout).contains(&password));
    assert!(!stderr.contains(&password));
    assert_eq!(
        keychain
            .get(&email, Kind::Password)
            .expect("keychain")
            .as_deref(),
        Some(password.as_str())
    );

    // Later runs take the password from the keychain (no variable, no prompt).
    let sync = courriel(dir.path(), &["sync", "--account", &email, "--json"], "");
    assert!(
        sync.status.success(),
        "{}",
        String::from_utf8_lossy(&sync.stderr)
    );
    let accounts = courriel(dir.path(), &["account", "list", "--json"], "");
    let text = String::from_utf8_lossy(&accounts.stdout);
    assert!(text.contains("\"settingsSource\": \"SRV"), "{text}");

    let removed = courriel(dir.path(), &["account", "remove", &email], "");
    assert!(
        removed.status.success(),
        "{}",
        String::from_utf8_lossy(&removed.stderr)
    );
    assert_eq!(
        keychain.get(&email, Kind::Password).expect("keychain"),
        None
    );
}
