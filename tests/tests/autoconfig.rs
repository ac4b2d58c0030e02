//! Autoconfig against real servers on 127.0.0.1: dnsmasq answers the A, SRV and MX
//! records of a few `.test` domains (and NXDOMAIN for the rest), and an HTTPS server with
//! certificates from a throwaway CA serves ISPDB files on `autoconfig.<domain>` and
//! `<domain>/.well-known/`. Each test starts its own pair.

use std::net::Ipv4Addr;
use std::path::Path;
use std::time::{Duration, Instant};

use courriel_engine::api::{Endpoint, Protocol, Security};
use courriel_engine::autoconfig::{
    discover, discover_all, AuthKind, Discovery, Found, Source, UsernameForm,
};
use courriel_engine::ErrorKind;
use courriel_tests::dnsmasq::{Dnsmasq, Record};
use courriel_tests::https::{HttpsServer, TestCa};

const LOCAL: Ipv4Addr = Ipv4Addr::LOCALHOST;
const CONFIG_PATH: &str = "/mail/config-v1.1.xml";
const WELL_KNOWN_PATH: &str = "/.well-known/autoconfig/mail/config-v1.1.xml";

fn srv(name: &'static str, target: Option<&'static str>, port: u16, priority: u16) -> Record {
    Record::Srv {
        name,
        target,
        port,
        priority,
        weight: 1,
    }
}

/// The test domains:
/// - isp.test: an ISPDB file on autoconfig.isp.test;
/// - wellknown.test: one at wellknown.test/.well-known/;
/// - srv.test: SRV records, both TLS and STARTTLS services, POP3S "not offered" (".");
/// - workspace.test, m365.test: Google's and Microsoft's mail exchangers;
/// - plain.test: an ISPDB file with only unencrypted servers;
/// - mixed.test: the same plain-only file, and SRV records;
/// - untrusted.test: an ISPDB file behind a certificate from a CA nobody trusts;
/// - bogus.test: an HTML page where the ISPDB file should be;
/// - nothing.test: an ordinary mail exchanger and nothing else.
struct World {
    dns: Dnsmasq,
    https: HttpsServer,
    ca: TestCa,
    _rogue: TestCa,
}

impl World {
    async fn start() -> World {
        let dns = Dnsmasq::start(&[
            Record::A("autoconfig.isp.test", LOCAL),
            Record::A("wellknown.test", LOCAL),
            Record::A("autoconfig.plain.test", LOCAL),
            Record::A("autoconfig.mixed.test", LOCAL),
            Record::A("autoconfig.untrusted.test", LOCAL),
            Record::A("autoconfig.bogus.test", LOCAL),
            srv("_submissions._tcp.srv.test", Some("smtp.srv.test"), 465, 0),
            srv("_submission._tcp.srv.test", Some("smtp.srv.test"), 587, 0),
            srv("_imaps._tcp.srv.test", Some("imap.srv.test"), 993, 10),
            srv(
                "_imaps._tcp.srv.test",
                Some("imap-backup.srv.test"),
                993,
                20,
            ),
            srv("_imap._tcp.srv.test", Some("imap.srv.test"), 143, 0),
            srv("_pop3s._tcp.srv.test", None, 0, 0),
            srv("_imaps._tcp.mixed.test", Some("mail.mixed.test"), 993, 0),
            srv(
                "_submission._tcp.mixed.test",
                Some("mail.mixed.test"),
                587,
                0,
            ),
            Record::Mx("workspace.test", "aspmx.l.google.com", 1),
            Record::Mx("workspace.test", "alt1.aspmx.l.google.com", 5),
            Record::Mx("m365.test", "m365-test.mail.protection.outlook.com", 0),
            Record::Mx("nothing.test", "mx.nothing.test", 10),
        ]);
        let ca = TestCa::new("Courriel-autoconfig-test-CA");
        let trusted = ca.issue(&[
            "autoconfig.isp.test",
            "wellknown.test",
            "autoconfig.plain.test",
            "autoconfig.mixed.test",
            "autoconfig.bogus.test",
        ]);
        let rogue = TestCa::new("Nobody-trusts-this-CA");
        let untrusted = rogue.issue(&["autoconfig.untrusted.test"]);
        let fixture = |name: &str| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/autoconfig")
                .join(name);
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        };
        let https = HttpsServer::start(
            &[trusted, untrusted],
            vec![
                ("autoconfig.isp.test", CONFIG_PATH, fixture("isp.test.xml")),
                (
                    "wellknown.test",
                    WELL_KNOWN_PATH,
                    fixture("wellknown.test.xml"),
                ),
                (
                    "autoconfig.plain.test",
                    CONFIG_PATH,
                    fixture("plain.test.xml"),
                ),
                (
                    "autoconfig.mixed.test",
                    CONFIG_PATH,
                    fixture("plain.test.xml"),
                ),
                (
                    "autoconfig.untrusted.test",
                    CONFIG_PATH,
                    fixture("isp.test.xml"),
                ),
                (
                    "autoconfig.bogus.test",
                    CONFIG_PATH,
                    "<!doctype html><html><body>Welcome to our site</body></html>".into(),
                ),
            ],
        )
        .await;
        World {
            dns,
            https,
            ca,
            _rogue: rogue,
        }
    }

    fn discovery(&self) -> Discovery {
        Discovery {
            resolver: Some(self.dns.addr),
            ca_file: Some(self.ca.ca_file.clone()),
            timeout: Duration::from_secs(5),
            http_port: Some(self.https.port),
        }
    }

    fn url(&self, host: &str, path: &str) -> String {
        format!("https://{host}{path}")
    }
}

fn endpoint(host: &str, port: u16, security: Security) -> Endpoint {
    Endpoint {
        host: host.into(),
        port,
        security,
    }
}

#[tokio::test]
async fn ispdb_file_on_the_autoconfig_host() {
    let world = World::start().await;
    let all = discover_all("alice@isp.test", &world.discovery())
        .await
        .expect("found");
    let url = world.url("autoconfig.isp.test", CONFIG_PATH);
    assert_eq!(
        all[0],
        Found {
            provider: None,
            incoming: endpoint("imap.isp.test", 993, Security::Tls),
            protocol: Protocol::Imap,
            smtp: endpoint("smtp.isp.test", 465, Security::Tls),
            username: UsernameForm::LocalPart,
            auth: AuthKind::Password,
            source: Source::IspdbAutoconfigHost(url.clone()),
        },
        "implicit TLS although STARTTLS is listed first"
    );
    assert_eq!(all.len(), 2, "IMAP, then POP3 as a second choice: {all:#?}");
    assert_eq!(all[1].protocol, Protocol::Pop3);
    assert_eq!(
        all[1].incoming,
        endpoint("pop.isp.test", 995, Security::Tls)
    );
    assert_eq!(all[0].source.to_string(), format!("autoconfig file {url}"));
    assert_eq!(all[0].settings_source(), format!("autoconfig: {url}"));

    let served = world.https.served();
    assert!(
        served.iter().any(|s| s.path == CONFIG_PATH
            && s.host == format!("autoconfig.isp.test:{}", world.https.port)
            && s.status == 200),
        "{served:?}"
    );
}

#[tokio::test]
async fn ispdb_file_at_the_well_known_url() {
    let world = World::start().await;
    let found = discover("bob@wellknown.test", &world.discovery())
        .await
        .expect("found");
    assert_eq!(
        found.source,
        Source::IspdbWellKnown(world.url("wellknown.test", WELL_KNOWN_PATH))
    );
    assert_eq!(
        found.incoming,
        endpoint("mail.wellknown.test", 993, Security::Tls)
    );
    assert_eq!(
        found.smtp,
        endpoint("mail.wellknown.test", 587, Security::Starttls)
    );
    assert_eq!(found.username, UsernameForm::Address);
}

#[tokio::test]
async fn srv_records_with_implicit_tls_preferred() {
    let world = World::start().await;
    let all = discover_all("carol@srv.test", &world.discovery())
        .await
        .expect("found");
    assert_eq!(
        all,
        [Found {
            provider: None,
            incoming: endpoint("imap.srv.test", 993, Security::Tls),
            protocol: Protocol::Imap,
            smtp: endpoint("smtp.srv.test", 465, Security::Tls),
            username: UsernameForm::Address,
            auth: AuthKind::Password,
            source: Source::Srv(vec![
                "_imaps._tcp.srv.test".into(),
                "_submissions._tcp.srv.test".into()
            ]),
        }],
        "no POP3 candidate: its SRV target is \".\""
    );
    let queries = world.dns.queries();
    for name in [
        "_submissions._tcp.srv.test",
        "_submission._tcp.srv.test",
        "_imaps._tcp.srv.test",
        "_imap._tcp.srv.test",
        "_pop3s._tcp.srv.test",
        "_pop3._tcp.srv.test",
    ] {
        assert!(
            queries.contains(&format!("query[SRV] {name}")),
            "{name} not asked: {queries:?}"
        );
    }
}

#[tokio::test]
async fn mx_at_google_is_google_workspace() {
    let world = World::start().await;
    let found = discover("dan@workspace.test", &world.discovery())
        .await
        .expect("found");
    assert_eq!(found.provider, Some("google-workspace"));
    assert_eq!(found.source, Source::Mx("aspmx.l.google.com".into()));
    assert_eq!(
        found.settings_source(),
        "MX: aspmx.l.google.com (google-workspace)"
    );
    assert_eq!(
        found.incoming,
        endpoint("imap.gmail.com", 993, Security::Tls)
    );
    assert_eq!(found.smtp, endpoint("smtp.gmail.com", 465, Security::Tls));
    assert_eq!(
        found.auth,
        AuthKind::OAuth2 {
            provider: Some("google".into())
        }
    );
}

#[tokio::test]
async fn mx_at_microsoft_is_microsoft_365() {
    let world = World::start().await;
    let found = discover("erin@m365.test", &world.discovery())
        .await
        .expect("found");
    assert_eq!(found.provider, Some("microsoft365"));
    assert_eq!(
        found.source,
        Source::Mx("m365-test.mail.protection.outlook.com".into())
    );
    assert_eq!(
        found.incoming,
        endpoint("outlook.office365.com", 993, Security::Tls)
    );
    assert_eq!(
        found.smtp,
        endpoint("smtp.office365.com", 587, Security::Starttls)
    );
    assert_eq!(
        found.auth,
        AuthKind::OAuth2 {
            provider: Some("microsoft".into())
        }
    );
}

#[tokio::test]
async fn presets_ask_the_network_nothing() {
    let world = World::start().await;
    let gmail = discover("frank@gmail.com", &world.discovery())
        .await
        .expect("gmail");
    assert_eq!(gmail.provider, Some("gmail"));
    assert_eq!(gmail.source, Source::Preset);
    assert_eq!(
        gmail.incoming,
        endpoint("imap.gmail.com", 993, Security::Tls)
    );
    let outlook = discover("grace@outlook.com", &world.discovery())
        .await
        .expect("outlook");
    assert_eq!(outlook.provider, Some("outlook"));
    assert_eq!(
        outlook.incoming,
        endpoint("outlook.office365.com", 993, Security::Tls)
    );
    assert_eq!(
        outlook.smtp,
        endpoint("smtp-mail.outlook.com", 587, Security::Starttls)
    );
    assert_eq!(world.dns.queries(), Vec::<String>::new(), "no DNS query");
    assert_eq!(world.https.served(), [], "no HTTPS request");
}

#[tokio::test]
async fn plain_only_autoconfig_is_refused_with_a_clear_error() {
    let world = World::start().await;
    let e = discover("heidi@plain.test", &world.discovery())
        .await
        .expect_err("only unencrypted servers");
    assert_eq!(e.kind, ErrorKind::Config, "{}", e.message);
    let url = world.url("autoconfig.plain.test", CONFIG_PATH);
    assert!(
        e.message.contains(&format!(
            "{url}: no usable server: unencrypted servers (socketType plain) refused, a password \
             would travel in clear: cleartext.plain.test:143, cleartext.plain.test:110, \
             cleartext.plain.test:25;"
        )),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn plain_servers_are_never_offered_beside_other_sources() {
    let world = World::start().await;
    let all = discover_all("ivan@mixed.test", &world.discovery())
        .await
        .expect("the SRV records");
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(
        all[0].source,
        Source::Srv(vec![
            "_imaps._tcp.mixed.test".into(),
            "_submission._tcp.mixed.test".into()
        ])
    );
    assert_eq!(
        all[0].smtp,
        endpoint("mail.mixed.test", 587, Security::Starttls)
    );
    assert!(
        all.iter()
            .all(|f| f.incoming.host != "cleartext.plain.test"
                && f.smtp.host != "cleartext.plain.test"),
        "{all:#?}"
    );
}

#[tokio::test]
async fn an_untrusted_certificate_is_named_in_the_error() {
    let world = World::start().await;
    let e = discover("judy@untrusted.test", &world.discovery())
        .await
        .expect_err("untrusted");
    assert_eq!(e.kind, ErrorKind::Config, "{}", e.message);
    let url = world.url("autoconfig.untrusted.test", CONFIG_PATH);
    assert!(
        e.message.contains(&format!(
            "{url}: certificate of autoconfig.untrusted.test not trusted: issued by an \
             authority this computer does not trust"
        )),
        "{}",
        e.message
    );
    assert!(
        !world
            .https
            .served()
            .iter()
            .any(|s| s.host.starts_with("autoconfig.untrusted.test")),
        "no request may follow a refused certificate"
    );
}

#[tokio::test]
async fn a_page_that_is_not_an_autoconfig_file() {
    let world = World::start().await;
    let e = discover("ken@bogus.test", &world.discovery())
        .await
        .expect_err("bogus");
    assert_eq!(e.kind, ErrorKind::Config, "{}", e.message);
    assert!(
        e.message.contains(&format!(
            "{}: not an autoconfig file: not valid XML",
            world.url("autoconfig.bogus.test", CONFIG_PATH)
        )),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn nothing_found_lists_every_lookup_tried() {
    let world = World::start().await;
    let e = discover("leo@nothing.test", &world.discovery())
        .await
        .expect_err("nothing");
    assert_eq!(e.kind, ErrorKind::NotFound, "{}", e.message);
    for part in [
        "no usable mail server settings found for leo@nothing.test",
        "built-in providers: none for nothing.test",
        "https://autoconfig.nothing.test/mail/config-v1.1.xml: autoconfig.nothing.test does not exist in DNS",
        "https://nothing.test/.well-known/autoconfig/mail/config-v1.1.xml: nothing.test has no address in DNS",
        "SRV records: none published (_submissions._tcp.nothing.test, _submission._tcp.nothing.test, \
         _imaps._tcp.nothing.test, _imap._tcp.nothing.test, _pop3s._tcp.nothing.test, _pop3._tcp.nothing.test)",
        "MX records of nothing.test: mx.nothing.test is not Google Workspace or Microsoft 365",
    ] {
        assert!(e.message.contains(part), "missing {part:?} in: {}", e.message);
    }
    assert!(!e.message.contains("imap.nothing.test"), "never a guess");
}

#[tokio::test]
async fn an_unreachable_autoconfig_server_is_reported() {
    let world = World::start().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let d = Discovery {
        http_port: Some(port),
        ..world.discovery()
    };
    let e = discover("mia@isp.test", &d).await.expect_err("unreachable");
    assert!(
        e.message.contains(&format!(
            "https://autoconfig.isp.test/mail/config-v1.1.xml: nothing listens on \
             autoconfig.isp.test:{port} (connection refused)"
        )),
        "{}",
        e.message
    );
    assert!(!e.message.contains("imap.isp.test"), "never a guess");
}

#[tokio::test]
async fn a_dead_dns_server_is_a_network_error_within_the_timeout() {
    let world = World::start().await;
    let dead = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    let d = Discovery {
        // A socket that never answers: every query times out.
        resolver: Some(dead.local_addr().expect("addr")),
        timeout: Duration::from_millis(800),
        ..world.discovery()
    };
    let started = Instant::now();
    let e = discover("nina@isp.test", &d).await.expect_err("no DNS");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(e.kind, ErrorKind::Network, "{}", e.message);
    assert!(e.message.contains("SRV records: "), "{}", e.message);
}
