//! `courriel show --auth` and `courriel domain-check` as a script runs them, against a
//! real DNS server (dnsmasq) serving the sender's and the user's records.

use std::net::Ipv4Addr;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use courriel_engine::auth::secrets::NoSecrets;
use courriel_engine::{ingest, Engine};
use courriel_tests::dnsmasq::{Dnsmasq, Record};
use courriel_tests::signed::{account, delivered, key_record, signed};

fn courriel(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_courriel"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("run courriel");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn show_auth_and_domain_check_from_the_command_line() {
    let txt = |name: &'static str, text: &str| Record::Txt(name, text.to_owned());
    let dns = Dnsmasq::start(&[
        txt("s2026._domainkey.bank.test", &key_record()),
        txt("bank.test", "v=spf1 ip4:192.0.2.10 -all"),
        txt("_dmarc.bank.test", "v=DMARC1; p=reject"),
        Record::Mx("bob.test", "mx.bob.test", 10),
        Record::A("smtp.bob.test", Ipv4Addr::new(192, 0, 2, 25)),
        txt("bob.test", "v=spf1 a:smtp.bob.test ~all"),
        txt("_dmarc.bob.test", "v=DMARC1; p=none"),
    ]);
    let server = dns.addr.to_string();
    let dir = tempfile::tempdir().expect("data dir");
    let engine = Engine::open(dir.path(), Arc::new(NoSecrets)).expect("engine");
    let bob = engine
        .add_account(account("me@bob.test", "imap.bob.test", "smtp.bob.test"))
        .await
        .expect("account");
    let inbox = engine
        .store()
        .folder(bob.id, "INBOX", Some("inbox"))
        .expect("inbox")
        .id;
    let good = signed(
        "Bank <alerts@bank.test>",
        "bank.test",
        "Statement attached.",
    );
    let fake = "From: PayPal <service@paypa1.test>\r\nTo: me@bob.test\r\nSubject: Account\r\n\
        Date: Tue, 01 Sep 2026 10:00:00 +0000\r\nMessage-ID: <p@paypa1.test>\r\n\r\nLog in.\r\n";
    let filtered = "From: Bank <alerts@bank.test>\r\nTo: me@bob.test\r\nSubject: Hi\r\n\
        Date: Tue, 01 Sep 2026 10:00:00 +0000\r\nMessage-ID: <h@bank.test>\r\n\r\nHi.\r\n";
    let provider_says = "Authentication-Results: filter.provider.test; dkim=pass \
        header.d=bank.test; spf=pass smtp.mailfrom=b@bank.test; dmarc=pass header.from=bank.test\r\n";
    for (uid, raw) in [
        (1, delivered("b@bank.test", "192.0.2.10", "", &good)),
        (2, delivered("x@paypa1.test", "198.51.100.9", "", fake)),
        (
            3,
            delivered("b@bank.test", "10.9.9.9", provider_says, filtered),
        ),
    ] {
        let meta = ingest::ServerMeta {
            uid,
            ..Default::default()
        };
        engine
            .store()
            .insert_message(bob.id, inbox, &ingest::parse(raw, meta))
            .expect("insert");
    }
    let ids: Vec<(u32, i64)> = engine
        .folder_messages("me@bob.test", "inbox", 10)
        .await
        .expect("inbox")
        .into_iter()
        .map(|m| (m.uid, m.id))
        .collect();
    let id = |uid: u32| {
        ids.iter()
            .find(|(u, _)| *u == uid)
            .expect("message")
            .1
            .to_string()
    };
    drop(engine);

    let (ok, out) = courriel(dir.path(), &["show", &id(1), "--auth", "--dns", &server]);
    assert!(ok, "{out}");
    assert!(
        out.starts_with("Signed by bank.test (DMARC pass)\n"),
        "{out}"
    );
    assert!(out.contains("  dkim: pass (bank.test)"), "{out}");

    let (ok, out) = courriel(
        dir.path(),
        &["show", &id(2), "--auth", "--dns", &server, "--json"],
    );
    assert!(ok, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["level"], "unverified", "{out}");
    assert_eq!(v["warnings"][0]["kind"], "lookalikeDomain", "{out}");
    assert_eq!(v["warnings"][0]["imitates"], "paypal.com", "{out}");
    let (ok, out) = courriel(dir.path(), &["show", &id(2), "--auth", "--dns", &server]);
    assert!(ok, "{out}");
    assert!(
        out.contains("! Careful: paypa1.test looks like paypal.com"),
        "{out}"
    );

    // A provider whose filter writes its own authserv-id: not believed until configured.
    let (ok, out) = courriel(dir.path(), &["show", &id(3), "--auth", "--dns", &server]);
    assert!(ok, "{out}");
    assert!(out.contains("checked by: Courriel, here"), "{out}");
    let (ok, out) = courriel(
        dir.path(),
        &[
            "account",
            "authserv-id",
            "--account",
            "me@bob.test",
            "filter.provider.test",
        ],
    );
    assert!(ok, "{out}");
    let (ok, out) = courriel(dir.path(), &["show", &id(3), "--auth", "--dns", &server]);
    assert!(ok, "{out}");
    assert!(
        out.starts_with("Signed by bank.test (DMARC pass)\n"),
        "{out}"
    );
    assert!(
        out.contains("checked by: your provider (filter.provider.test)"),
        "{out}"
    );

    let (ok, out) = courriel(dir.path(), &["domain-check", "bob.test", "--dns", &server]);
    if std::env::var_os("SHOW_OUTPUT").is_some() {
        eprintln!("{out}");
    }
    assert!(ok, "{out}");
    assert!(
        out.contains("[   ok] mx      Mail for bob.test goes to mx.bob.test."),
        "{out}"
    );
    assert!(
        out.contains("It covers your outgoing server smtp.bob.test."),
        "{out}"
    );
    assert!(out.contains("DMARC policy: none."), "{out}");
    assert!(out.contains("fix: Once the reports show"), "{out}");
    // No domain: every domain of the user's addresses that they control (bob.test).
    let (ok, out) = courriel(dir.path(), &["domain-check", "--dns", &server]);
    assert!(ok, "{out}");
    assert!(out.starts_with("bob.test\n"), "{out}");
    let (ok, out) = courriel(dir.path(), &["domain-check", "--dns", &server, "--json"]);
    assert!(ok, "{out}");
    let all: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        all[0]["domain"], "bob.test",
        "a list when no domain is named: {out}"
    );

    let (ok, out) = courriel(
        dir.path(),
        &["domain-check", "gmail.com", "--dns", &server, "--json"],
    );
    assert!(ok, "{out}");
    let r: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(r["userControlled"], false);
}
