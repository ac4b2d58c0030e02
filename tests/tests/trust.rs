//! Sender trust and the domain check against a real DNS server: dnsmasq on 127.0.0.1
//! serves the TXT records (DKIM keys, SPF, DMARC, MTA-STS, TLS-RPT), MX and A records;
//! messages signed here with the test key of `tests/fixtures/trust/` are cached in an
//! engine and checked through `Engine::message_trust_with` and `domain_check_with`.
//! No mail server is needed: messages enter the cache through the engine's ingest.

use std::net::Ipv4Addr;
use std::sync::Arc;

use courriel_engine::api::{AuthOutcome, FindingStatus, TrustLevel, TrustSource, WarningKind};
use courriel_engine::auth::secrets::NoSecrets;
use courriel_engine::trust::TrustOptions;
use courriel_engine::{ingest, Engine};
use courriel_tests::dnsmasq::{Dnsmasq, Record};
use courriel_tests::https::{HttpsServer, TestCa};
use courriel_tests::signed::{account, delivered, key_record, signed};

const STS_PATH: &str = "/.well-known/mta-sts.txt";

fn dns() -> Dnsmasq {
    let txt = |name: &'static str, text: &str| Record::Txt(name, text.to_owned());
    Dnsmasq::start(&[
        // bank.test: signs with s2026, sends from 192.0.2.10, DMARC reject.
        txt("s2026._domainkey.bank.test", &key_record()),
        txt("bank.test", "v=spf1 ip4:192.0.2.10 -all"),
        txt("_dmarc.bank.test", "v=DMARC1; p=reject"),
        // example.test: the user's own domain, well set up.
        Record::Mx("example.test", "mx.example.test", 10),
        Record::A("mx.example.test", Ipv4Addr::new(192, 0, 2, 26)),
        Record::A("smtp.example.test", Ipv4Addr::new(192, 0, 2, 25)),
        txt(
            "example.test",
            "v=spf1 ip4:192.0.2.25 include:_spf.example.test -all",
        ),
        txt("_spf.example.test", "v=spf1 ip4:198.51.100.0/24 -all"),
        txt("s2026._domainkey.example.test", &key_record()),
        txt(
            "_dmarc.example.test",
            "v=DMARC1; p=quarantine; adkim=s; rua=mailto:dmarc@example.test",
        ),
        txt("_mta-sts.example.test", "v=STSv1; id=20260901"),
        Record::A("mta-sts.example.test", Ipv4Addr::LOCALHOST),
        // broken.test announces MTA-STS but serves a policy that forgets its MX.
        txt("_mta-sts.broken.test", "v=STSv1; id=1"),
        Record::A("mta-sts.broken.test", Ipv4Addr::LOCALHOST),
        Record::Mx("broken.test", "mx.broken.test", 10),
        txt(
            "_smtp._tls.example.test",
            "v=TLSRPTv1; rua=mailto:tls@example.test",
        ),
        // broken.test: +all, eleven lookups, no DMARC; its SMTP host not covered.
        Record::A("smtp.broken.test", Ipv4Addr::new(203, 0, 113, 9)),
        txt(
            "broken.test",
            "v=spf1 include:a.broken.test include:b.broken.test include:c.broken.test \
             include:d.broken.test include:e.broken.test include:f.broken.test a mx \
             include:g.broken.test include:h.broken.test include:i.broken.test +all",
        ),
        // A long TXT record (a 2048-bit RSA key is ~400 characters): split by dnsmasq.
        txt(
            "long._domainkey.example.test",
            &format!("v=DKIM1; k=rsa; p={}", "A".repeat(400)),
        ),
    ])
}

#[tokio::test]
async fn messages_are_checked_against_real_dns_once_and_cached() {
    let dns = dns();
    let options = TrustOptions {
        dns: Some(dns.addr),
        ..Default::default()
    };
    let dir = tempfile::tempdir().expect("dir");
    let engine = Engine::open(dir.path(), Arc::new(NoSecrets)).expect("engine");
    let bob = engine
        .add_account(account("bob@mail.test", "imap.mail.test", "smtp.mail.test"))
        .await
        .expect("account");
    let store = engine.store();
    let inbox = store
        .folder(bob.id, "INBOX", Some("inbox"))
        .expect("inbox")
        .id;
    let sent = store.folder(bob.id, "Sent", Some("sent")).expect("sent").id;

    let good = signed(
        "Bank <alerts@bank.test>",
        "bank.test",
        "Amount due: 120.00 EUR",
    );
    let altered = good.replace("120.00", "9120.00");
    let forged = "From: Bank <alerts@bank.test>\r\nTo: bob@mail.test\r\nSubject: Urgent\r\n\
        Authentication-Results: mx.evil.test; dkim=pass header.d=bank.test; dmarc=pass header.from=bank.test\r\n\
        Date: Tue, 01 Sep 2026 10:00:00 +0000\r\nMessage-ID: <forged@evil.test>\r\n\r\nPay now.\r\n";
    let lookalike = "From: Marie Durand <marie@cabinet-durant.test>\r\nTo: bob@mail.test\r\n\
        Subject: Facture\r\nDate: Tue, 01 Sep 2026 10:00:00 +0000\r\nMessage-ID: <f@x.test>\r\n\r\nVoici.\r\n";
    let messages = [
        (1, delivered("bounces@bank.test", "192.0.2.10", "", &good)),
        (
            2,
            delivered("bounces@bank.test", "192.0.2.10", "", &altered),
        ),
        (
            3,
            delivered("bounces@bank.test", "198.51.100.66", "", forged),
        ),
        (
            4,
            delivered("m@cabinet-durant.test", "198.51.100.67", "", lookalike),
        ),
    ];
    for (uid, raw) in messages {
        let meta = ingest::ServerMeta {
            uid,
            ..Default::default()
        };
        store
            .insert_message(bob.id, inbox, &ingest::parse(raw, meta))
            .expect("insert");
    }
    // Bob has written to Marie at her real address: she is a contact.
    let to_marie = "From: bob@mail.test\r\nTo: marie@cabinet-durand.test\r\nSubject: Dossier\r\n\
        Date: Mon, 31 Aug 2026 10:00:00 +0000\r\nMessage-ID: <s@mail.test>\r\n\r\nBonjour.\r\n";
    let meta = ingest::ServerMeta {
        uid: 1,
        ..Default::default()
    };
    store
        .insert_message(
            bob.id,
            sent,
            &ingest::parse(to_marie.as_bytes().to_vec(), meta),
        )
        .expect("insert sent");
    let ids: std::collections::BTreeMap<u32, i64> = engine
        .folder_messages("bob@mail.test", "inbox", 10)
        .await
        .expect("inbox")
        .into_iter()
        .map(|m| (m.uid, m.id))
        .collect();

    let v = engine
        .message_trust_with(ids[&1], &options)
        .await
        .expect("trust");
    assert_eq!(v.source, TrustSource::Local, "{v:?}");
    assert_eq!(v.level, TrustLevel::Verified, "{v:?}");
    assert_eq!(v.summary.en, "Signed by bank.test (DMARC pass)");
    assert!(v.warnings.is_empty(), "{:?}", v.warnings);
    let asked = dns.queries();
    assert!(
        asked
            .iter()
            .any(|q| q.contains("[TXT] s2026._domainkey.bank.test")),
        "{asked:?}"
    );
    // Cached: a second look asks DNS nothing.
    let again = engine
        .message_trust_with(ids[&1], &options)
        .await
        .expect("trust");
    assert_eq!(again.summary, v.summary);
    assert_eq!(
        dns.queries().len(),
        asked.len(),
        "the verdict came from the cache"
    );

    let v = engine
        .message_trust_with(ids[&2], &options)
        .await
        .expect("trust");
    assert_eq!(v.dkim, AuthOutcome::Fail, "altered after signing: {v:?}");
    assert_eq!(v.signed_by, None);

    let v = engine
        .message_trust_with(ids[&3], &options)
        .await
        .expect("trust");
    assert_eq!(
        v.source,
        TrustSource::Local,
        "the forged header is not the provider's"
    );
    assert_eq!(v.dkim, AuthOutcome::None);
    assert_eq!(v.dmarc, AuthOutcome::Fail, "{v:?}");
    assert_eq!(v.level, TrustLevel::Failed);
    assert!(
        v.summary
            .en
            .starts_with("Could not verify that this came from bank.test"),
        "{}",
        v.summary.en
    );

    let v = engine
        .message_trust_with(ids[&4], &options)
        .await
        .expect("trust");
    assert_ne!(v.level, TrustLevel::Verified);
    assert!(
        v.warnings
            .iter()
            .any(|w| w.kind == WarningKind::LookalikeDomain && w.imitates == "cabinet-durand.test"),
        "{:?}",
        v.warnings
    );
}

#[tokio::test]
async fn domain_check_reads_the_records_and_says_what_to_fix() {
    let dns = dns();
    let ca = TestCa::new("Courriel-trust-test-CA");
    let policy = "version: STSv1\r\nmode: enforce\r\nmx: mx.example.test\r\nmax_age: 604800\r\n";
    let stale = "version: STSv1\nmode: testing\nmx: old-mx.broken.test\nmax_age: 3600\n";
    let https = HttpsServer::start(
        &[ca.issue(&["mta-sts.example.test", "mta-sts.broken.test"])],
        vec![
            ("mta-sts.example.test", STS_PATH, policy.to_owned()),
            ("mta-sts.broken.test", STS_PATH, stale.to_owned()),
        ],
    )
    .await;
    let options = TrustOptions {
        dns: Some(dns.addr),
        ca_file: Some(ca.ca_file.clone()),
        https_port: Some(https.port),
        blocklist_zones: Vec::new(),
    };
    let dir = tempfile::tempdir().expect("dir");
    let engine = Engine::open(dir.path(), Arc::new(NoSecrets)).expect("engine");
    let alice = engine
        .add_account(account(
            "alice@example.test",
            "imap.example.test",
            "smtp.example.test",
        ))
        .await
        .expect("account");
    engine
        .add_account(account(
            "carl@broken.test",
            "imap.broken.test",
            "smtp.broken.test",
        ))
        .await
        .expect("account");
    // Alice's sent mail is signed with selector s2026: that is the selector checked.
    let sent = engine
        .store()
        .folder(alice.id, "Sent", Some("sent"))
        .expect("sent")
        .id;
    let raw = signed("alice@example.test", "example.test", "Hello").into_bytes();
    let meta = ingest::ServerMeta {
        uid: 1,
        ..Default::default()
    };
    engine
        .store()
        .insert_message(alice.id, sent, &ingest::parse(raw, meta))
        .expect("insert");

    let r = engine
        .domain_check_with("example.test", &options)
        .await
        .expect("check");
    let status = |topic: &str| {
        r.findings
            .iter()
            .filter(|f| f.topic == topic)
            .map(|f| f.status)
            .collect::<Vec<_>>()
    };
    assert!(r.user_controlled);
    assert_eq!(status("mx"), [FindingStatus::Ok], "{r:#?}");
    assert_eq!(
        status("spf"),
        [FindingStatus::Ok, FindingStatus::Ok],
        "{r:#?}"
    );
    assert!(r.findings.iter().any(|f| f.topic == "spf"
        && f.words
            .en
            .contains("covers your outgoing server smtp.example.test")));
    assert_eq!(r.spf_lookups, 1);
    assert_eq!(r.dkim_selectors, ["s2026"], "{r:#?}");
    assert_eq!(status("dkim"), [FindingStatus::Ok]);
    assert_eq!(status("dmarc")[0], FindingStatus::Ok, "{r:#?}");
    assert!(r
        .findings
        .iter()
        .any(|f| f.words.en.contains("DKIM strict, SPF relaxed")));
    assert_eq!(
        status("mta-sts"),
        [FindingStatus::Ok, FindingStatus::Ok],
        "the record, then the policy fetched over HTTPS: {r:#?}"
    );
    assert_eq!(status("tls-rpt"), [FindingStatus::Ok]);

    let r = engine
        .domain_check_with("broken.test", &options)
        .await
        .expect("check");
    let errors: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::Error)
        .map(|f| f.words.en.as_str())
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("does not list your mail server(s) mx.broken.test")),
        "{errors:?}"
    );
    assert!(errors.iter().any(|e| e.contains("+all")), "{errors:?}");
    assert!(
        errors.iter().any(|e| e.contains("11 DNS lookups")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("does not cover your outgoing server smtp.broken.test")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("no DMARC record")),
        "{errors:?}"
    );
    assert!(r
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::Error)
        .all(|f| f.fix.is_some()));
    let warnings: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.status == FindingStatus::Warning)
        .map(|f| f.words.en.as_str())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("MTA-STS policy: testing")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("max_age is under a day")),
        "{warnings:?}"
    );

    // A provider's domain: hidden, and nothing asked.
    let before = dns.queries().len();
    let r = engine
        .domain_check_with("gmail.com", &options)
        .await
        .expect("check");
    assert!(!r.user_controlled);
    assert_eq!(dns.queries().len(), before);
}

#[test]
fn long_txt_records_come_back_whole() {
    let dns = dns();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let records = rt.block_on(async {
        let resolver = courriel_engine::trust::dns::resolver(Some(dns.addr)).expect("resolver");
        courriel_engine::trust::dns::txt(&resolver, "long._domainkey.example.test")
            .await
            .expect("txt")
    });
    assert_eq!(records, [format!("v=DKIM1; k=rsa; p={}", "A".repeat(400))]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_test_message_to_oneself_comes_back_checked() {
    let servers = courriel_tests::Servers::start();
    let dns = Dnsmasq::start(&[]); // example.test publishes nothing here
    let (engine, _dir) = courriel_tests::engine(servers.secrets());
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("alice");
    let options = TrustOptions {
        dns: Some(dns.addr),
        ..Default::default()
    };
    let v = engine
        .domain_self_test(&alice.email, &options, std::time::Duration::from_secs(60))
        .await
        .expect("the test message came back");
    assert_eq!(v.from_domain, "example.test");
    // The test Postfix adds no Authentication-Results: Courriel checked the copy itself,
    // found no signature, and a delivery from 127.0.0.1 gives SPF no outside hop.
    assert_eq!(v.source, TrustSource::Local, "{v:?}");
    assert_eq!(v.dkim, AuthOutcome::None);
    assert_eq!(v.spf, AuthOutcome::None);
    assert_eq!(v.level, TrustLevel::Unverified);
    assert_eq!(
        v.summary.en,
        "Could not verify that this came from example.test"
    );
}

#[tokio::test]
async fn the_providers_authserv_id_is_learned_from_the_first_inbox_messages() {
    let dns = Dnsmasq::start(&[]);
    let options = TrustOptions {
        dns: Some(dns.addr),
        ..Default::default()
    };
    let dir = tempfile::tempdir().expect("dir");
    let engine = Engine::open(dir.path(), Arc::new(NoSecrets)).expect("engine");
    // The provider's filter writes an id unrelated to the account's hosts.
    let bob = engine
        .add_account(account("bob@mail.test", "imap.mail.test", "smtp.mail.test"))
        .await
        .expect("account");
    let inbox = engine
        .store()
        .folder(bob.id, "INBOX", Some("inbox"))
        .expect("inbox")
        .id;
    let message = |n: u32, top: &str, below: &str| {
        format!(
            "Authentication-Results: {top}\r\nFrom: Bank <alerts@bank.test>\r\nTo: bob@mail.test\r\n\
             Subject: {n}\r\n{below}Date: Tue, 01 Sep 2026 10:00:0{n} +0000\r\n\
             Message-ID: <{n}@bank.test>\r\n\r\nHello.\r\n"
        )
    };
    let isp = "filter.isp.test; dkim=pass header.d=bank.test; dmarc=pass header.from=bank.test";
    let forged = "Authentication-Results: evil.test; dmarc=pass header.from=bank.test\r\n";
    let raws = [
        message(1, isp, ""),
        message(2, isp, forged),
        message(3, "evil.test; dkim=pass header.d=bank.test", ""),
        message(4, isp, ""),
    ];
    for (i, raw) in raws.iter().enumerate() {
        let meta = ingest::ServerMeta {
            uid: i as u32 + 1,
            ..Default::default()
        };
        engine
            .store()
            .insert_message(
                bob.id,
                inbox,
                &ingest::parse(raw.clone().into_bytes(), meta),
            )
            .expect("insert");
    }
    let id = engine
        .folder_messages("bob@mail.test", "inbox", 10)
        .await
        .expect("inbox")
        .into_iter()
        .find(|m| m.uid == 2)
        .expect("message 2")
        .id;
    let v = engine
        .message_trust_with(id, &options)
        .await
        .expect("trust");
    assert_eq!(v.source, TrustSource::Provider, "{v:?}");
    assert_eq!(v.authserv_id.as_deref(), Some("filter.isp.test"));
    assert_eq!(v.summary.en, "Signed by bank.test (DMARC pass)");
}

#[tokio::test]
async fn domain_check_names_a_sending_address_on_a_blocklist() {
    // listed.test sends from its MX (192.0.2.30, listed) and an SPF address (192.0.2.31,
    // not listed); bl.test answers as a DNSBL zone does: 127.0.0.2 for a listed address.
    let dns = Dnsmasq::start(&[
        Record::Mx("listed.test", "mx.listed.test", 10),
        Record::A("mx.listed.test", Ipv4Addr::new(192, 0, 2, 30)),
        Record::Txt("listed.test", "v=spf1 mx ip4:192.0.2.31 -all".to_owned()),
        Record::A("30.2.0.192.bl.test", Ipv4Addr::new(127, 0, 0, 2)),
        Record::Mx("clean.test", "mx.clean.test", 10),
        Record::A("mx.clean.test", Ipv4Addr::new(192, 0, 2, 40)),
    ]);
    let options = TrustOptions {
        dns: Some(dns.addr),
        blocklist_zones: vec!["bl.test".into()],
        ..Default::default()
    };
    let dir = tempfile::tempdir().expect("dir");
    let engine = Engine::open(dir.path(), Arc::new(NoSecrets)).expect("engine");
    let blocklists = |r: &courriel_engine::api::DomainReport| {
        r.findings
            .iter()
            .find(|f| f.topic == "blocklists")
            .cloned()
            .expect("a blocklist finding")
    };
    let listed = engine
        .domain_check_with("listed.test", &options)
        .await
        .expect("check");
    let found = blocklists(&listed);
    assert_eq!(found.status, FindingStatus::Error, "{found:#?}");
    assert!(
        found.words.en.contains("Listed: 192.0.2.30 on bl.test"),
        "{found:#?}"
    );
    assert!(!found.words.en.contains("192.0.2.31"), "{found:#?}");
    assert!(found.fix.is_some_and(|f| f.en.contains("request removal")));
    let clean = engine
        .domain_check_with("clean.test", &options)
        .await
        .expect("check");
    assert_eq!(blocklists(&clean).status, FindingStatus::Ok, "{clean:#?}");
}
