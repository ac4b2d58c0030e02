//! Property tests (proptest) of autoconfig files (ISPDB `config-v1.1.xml`), which come
//! from whoever answers for the domain: documents built from the format's elements, with
//! hostile or odd values, and arbitrary text. Nothing panics, and what is offered is a
//! server one can connect to (a cleartext one cannot even be written: `Security` is TLS
//! or STARTTLS).

use proptest::prelude::*;

use super::*;

/// `default` cases, or PROPTEST_CASES when set (`make fuzz`).
fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn pick(from: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    proptest::sample::select(from)
}

fn server() -> impl Strategy<Value = String> {
    (
        pick(&["incomingServer", "outgoingServer", "otherServer"]),
        pick(&["imap", "pop3", "smtp", "IMAP", "jmap", ""]),
        pick(&[
            "mail.example.org",
            "%EMAILDOMAIN%",
            "",
            "a b",
            "é.example",
            "x..y",
            "-x.org",
            "127.0.0.1",
        ]),
        pick(&["993", "0", "65536", "-1", "99999999999", "", "x"]),
        pick(&["SSL", "STARTTLS", "plain", "tls", "", "SsL"]),
        pick(&[
            "%EMAILADDRESS%",
            "%EMAILLOCALPART%",
            "x%EMAILDOMAIN%",
            "",
            "%%",
        ]),
        proptest::collection::vec(
            pick(&[
                "password-cleartext",
                "password-encrypted",
                "OAuth2",
                "GSSAPI",
                "client-IP-address",
                "none",
                "",
            ]),
            0..3,
        ),
    )
        .prop_map(|(tag, kind, host, port, socket, user, auths)| {
            let auths: String = auths
                .iter()
                .map(|a| format!("<authentication>{a}</authentication>"))
                .collect();
            format!(
                "<{tag} type=\"{kind}\"><hostname>{host}</hostname><port>{port}</port>\
                 <socketType>{socket}</socketType><username>{user}</username>{auths}</{tag}>"
            )
        })
}

fn document() -> impl Strategy<Value = String> {
    (
        pick(&["<?xml version=\"1.0\"?>", "\u{feff}", "", "<!DOCTYPE x [<!ENTITY a \"b\">]>"]),
        pick(&["clientConfig", "clientconfig", "x"]),
        proptest::collection::vec(server(), 0..5),
        pick(&["", "<oAuth2><issuer>accounts.google.com</issuer></oAuth2>", "<oAuth2><issuer/></oAuth2>"]),
        any::<bool>(),
    )
        .prop_map(|(prolog, root, servers, oauth, cut)| {
            let doc = format!(
                "{prolog}<{root} version=\"1.1\"><emailProvider id=\"x\">{}</emailProvider>{oauth}</{root}>",
                servers.concat()
            );
            if cut {
                doc.chars().take(doc.chars().count() / 2).collect()
            } else {
                doc
            }
        })
}

fn check(xml: &str) -> Result<(), TestCaseError> {
    let Ok(config) = ispdb::parse(xml) else {
        return Ok(());
    };
    let address =
        Address::parse("alice@example.org").map_err(|e| TestCaseError::fail(e.message))?;
    let source = Source::IspdbWellKnown("https://example.org/x".into());
    if let Ok(found) = ispdb::candidates(&config, &address, source) {
        for f in found {
            for endpoint in [&f.incoming, &f.smtp] {
                prop_assert!(endpoint.port > 0, "{xml}");
                prop_assert!(
                    !endpoint.host.is_empty() && !endpoint.host.contains(char::is_whitespace),
                    "host {:?} from {xml}",
                    endpoint.host
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn any_built_file_is_read_safely(xml in document()) {
        check(&xml)?;
    }

    #[test]
    fn any_text_is_read_safely(xml in ".{0,200}") {
        check(&xml)?;
    }
}
