//! Address parsing, ordering and the error that lists what was tried. The lookups
//! themselves are tested against real DNS and HTTPS servers in `tests/tests/autoconfig.rs`.

use super::tried::{Miss, Tried};
use super::*;
use crate::api::Security;

#[test]
fn addresses() {
    let a = Address::parse("  Alice@Example.ORG ").expect("an address");
    assert_eq!(
        (a.local.as_str(), a.domain.as_str()),
        ("Alice", "example.org")
    );
    let idn = Address::parse("zoé@exemple-été.fr").expect("an IDN address");
    assert_eq!(idn.domain, "xn--exemple-t-i4ab.fr");
    for bad in [
        "alice",
        "@example.org",
        "alice@",
        "alice@localhost",
        "a b@example.org",
        "a@ex_ample.org",
        "a@-x.org",
    ] {
        let e = Address::parse(bad).expect_err(bad);
        assert_eq!(e.kind, ErrorKind::Config, "{bad}");
    }
}

#[test]
fn username_forms() {
    assert_eq!(
        UsernameForm::Address.for_address("a.b@x.test"),
        "a.b@x.test"
    );
    assert_eq!(UsernameForm::LocalPart.for_address("a.b@x.test"), "a.b");
    assert_eq!(
        UsernameForm::Other("X\\a".into()).for_address("a@x.test"),
        "X\\a"
    );
}

#[test]
fn presets_need_no_network() {
    let d = Discovery {
        // Nothing listens there: a lookup would fail.
        resolver: Some("127.0.0.1:9".parse().expect("addr")),
        ..Discovery::default()
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let found = rt
        .block_on(discover("someone@GMail.com", &d))
        .expect("gmail");
    assert_eq!(found.provider, Some("gmail"));
    assert_eq!(found.source, Source::Preset);
    assert_eq!(found.settings_source(), "preset: gmail");
    let found = rt
        .block_on(discover("someone@hotmail.fr", &d))
        .expect("outlook");
    assert_eq!(found.provider, Some("outlook"));
    assert_eq!(found.smtp.security, Security::Starttls);
}

#[test]
fn duplicates_keep_the_better_source() {
    let found = |source: Source| Found {
        provider: None,
        incoming: Endpoint {
            host: "imap.x.test".into(),
            port: 993,
            security: Security::Tls,
        },
        protocol: Protocol::Imap,
        smtp: Endpoint {
            host: "smtp.x.test".into(),
            port: 465,
            security: Security::Tls,
        },
        username: UsernameForm::Address,
        auth: AuthKind::Password,
        source,
    };
    let mut all = vec![
        found(Source::IspdbAutoconfigHost("a".into())),
        found(Source::IspdbWellKnown("b".into())),
    ];
    dedup(&mut all);
    assert_eq!(all, [found(Source::IspdbAutoconfigHost("a".into()))]);
}

#[test]
fn the_error_lists_every_lookup_and_its_kind_follows_the_worst() {
    let mut tried = Tried::new("x.test");
    tried.miss("SRV records", Miss::absent("none published"));
    let e = tried.into_error("a@x.test");
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert!(
        e.message.contains("Tried: SRV records: none published"),
        "{}",
        e.message
    );

    let mut tried = Tried::new("x.test");
    tried.miss("SRV records", Miss::network("no answer within 1.0 s"));
    tried.miss("MX records of x.test", Miss::absent("none published"));
    assert_eq!(tried.into_error("a@x.test").kind, ErrorKind::Network);

    let mut tried = Tried::new("x.test");
    tried.miss(
        "https://autoconfig.x.test/",
        Miss::refused("certificate not trusted"),
    );
    tried.miss("SRV records", Miss::network("timeout"));
    assert_eq!(tried.into_error("a@x.test").kind, ErrorKind::Config);
}
