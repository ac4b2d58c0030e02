//! ISPDB-format files in `testdata/ispdb/`, each with what it must give.

use std::path::PathBuf;

use super::*;

fn testdata(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/ispdb")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(name: &str, email: &str) -> Result<Vec<Found>, String> {
    let address = Address::parse(email).expect("an address");
    let config = parse(&testdata(name))?;
    candidates(
        &config,
        &address,
        Source::IspdbWellKnown(format!("test:{name}")),
    )
}

fn endpoint(host: &str, port: u16, security: Security) -> Endpoint {
    Endpoint {
        host: host.into(),
        port,
        security,
    }
}

#[test]
fn every_file_is_covered() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/ispdb");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("testdata/ispdb")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "domain-placeholder.xml",
            "oauth2-first.xml",
            "plain-only.xml",
            "provider-full.xml",
            "unsupported-auth.xml"
        ],
        "a file without a test below, or a test without its file"
    );
}

#[test]
fn implicit_tls_and_imap_win_whatever_the_order() {
    let found = read("provider-full.xml", "alice@example.net").expect("candidates");
    assert_eq!(found.len(), 2, "IMAP then POP3: {found:#?}");
    assert_eq!(found[0].protocol, Protocol::Imap);
    assert_eq!(
        found[0].incoming,
        endpoint("imap.example.net", 993, Security::Tls)
    );
    assert_eq!(
        found[0].smtp,
        endpoint("smtp.example.net", 465, Security::Tls)
    );
    assert_eq!(found[0].username, UsernameForm::LocalPart);
    assert_eq!(found[0].username.for_address("alice@example.net"), "alice");
    assert_eq!(found[0].auth, AuthKind::Password);
    assert_eq!(found[0].provider, None);
    assert_eq!(found[1].protocol, Protocol::Pop3);
    assert_eq!(
        found[1].incoming,
        endpoint("pop.example.net", 995, Security::Tls),
        "the plain POP3 server is never offered"
    );
}

#[test]
fn oauth2_first_with_a_known_issuer() {
    let found = read("oauth2-first.xml", "bob@hosted.example").expect("candidates");
    assert_eq!(
        found[0].auth,
        AuthKind::OAuth2 {
            provider: Some("google".into())
        }
    );
    assert_eq!(
        found[0].incoming,
        endpoint("imap.gmail.com", 993, Security::Tls)
    );
    assert_eq!(found[0].username, UsernameForm::Address);
}

#[test]
fn plain_only_is_refused_with_the_reason() {
    let why = read("plain-only.xml", "carol@plain.example").expect_err("refused");
    assert_eq!(
        why,
        "no usable server: unencrypted servers (socketType plain) refused, a password would \
         travel in clear: mail.plain.example:143, mail.plain.example:25"
    );
}

#[test]
fn placeholders_in_host_names_and_starttls_only() {
    let found = read("domain-placeholder.xml", "Dan@Customer.Example").expect("candidates");
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].incoming,
        endpoint("mail.customer.example", 143, Security::Starttls)
    );
    assert_eq!(
        found[0].smtp,
        endpoint("mail.customer.example", 587, Security::Starttls)
    );
    // %EMAILLOCALPART%@%EMAILDOMAIN% is the address (its domain as DNS writes it).
    assert_eq!(found[0].username, UsernameForm::Address);
    assert_eq!(
        found[0].auth,
        AuthKind::Password,
        "no <authentication>: a password"
    );
}

#[test]
fn servers_without_a_supported_sign_in_are_named() {
    let why = read("unsupported-auth.xml", "eve@corp.example").expect_err("refused");
    assert!(
        why.starts_with("no usable incoming (IMAP or POP3) server"),
        "{why}"
    );
    assert!(
        why.contains("\"exchange\" server is not supported"),
        "{why}"
    );
    assert!(
        why.contains("imap.corp.example:993: no sign-in method Courriel supports (NTLM, GSSAPI)"),
        "{why}"
    );
}

#[test]
fn not_an_autoconfig_file() {
    assert!(parse("<html><body>Not found</body></html>")
        .expect_err("html")
        .contains("<html> where <clientConfig> was expected"));
    assert!(parse("<clientConfig>")
        .expect_err("cut")
        .starts_with("not valid XML"));
    assert_eq!(
        parse("<clientConfig version=\"1.1\"/>").expect_err("empty"),
        "no <emailProvider>"
    );
    let dtd = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><clientConfig/>";
    assert!(parse(dtd).is_err(), "no DTDs (entity expansion)");
}

#[test]
fn oauth2_and_password_servers_must_share_a_method() {
    let xml = r#"<clientConfig version="1.1"><emailProvider id="x.example">
        <incomingServer type="imap"><hostname>imap.x.example</hostname><port>993</port>
          <socketType>SSL</socketType><authentication>OAuth2</authentication></incomingServer>
        <outgoingServer type="smtp"><hostname>smtp.x.example</hostname><port>465</port>
          <socketType>SSL</socketType><authentication>password-cleartext</authentication>
        </outgoingServer></emailProvider></clientConfig>"#;
    let address = Address::parse("f@x.example").expect("address");
    let config = parse(xml).expect("parsed");
    let why = candidates(&config, &address, Source::Preset).expect_err("no common method");
    assert!(
        why.contains("imap.x.example and smtp.x.example share no sign-in method"),
        "{why}"
    );
}
