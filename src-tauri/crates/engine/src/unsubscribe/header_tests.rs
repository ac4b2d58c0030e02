//! Reading the list headers and choosing how to leave, hostile headers included.

use super::*;

const OWN: &[&str] = &["imap.example.org", "smtp.example.org"];

fn planned(unsubscribe: &str, post: Option<&str>) -> Option<(UnsubscribeKind, String, String)> {
    let headers = ListHeaders {
        unsubscribe: Some(unsubscribe.into()),
        post: post.map(Into::into),
    };
    plan(&headers, OWN).map(|p| (p.kind, p.target, p.host))
}

#[test]
fn the_headers_are_read_unfolded_in_any_case() {
    let raw = b"From: list@example.com\r\nlist-unsubscribe: <mailto:leave@example.com?subject=stop>,\r\n\t<https://example.com/u/\r\n 123>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\r\nList-Unsubscribe: <https://body.example/>\r\n";
    let h = read(raw);
    assert_eq!(
        h.unsubscribe.as_deref(),
        Some("<mailto:leave@example.com?subject=stop>, <https://example.com/u/ 123>")
    );
    assert_eq!(h.post.as_deref(), Some("List-Unsubscribe=One-Click"));
    assert_eq!(
        uris(h.unsubscribe.as_deref().unwrap_or_default()),
        [
            "mailto:leave@example.com?subject=stop",
            "https://example.com/u/123"
        ]
    );
    assert_eq!(read(b"Subject: none\n\nbody"), ListHeaders::default());
}

#[test]
fn one_click_then_mail_then_the_page() {
    let both = "<mailto:leave@example.com>, <https://example.com/u?id=1>";
    let post = Some("List-Unsubscribe=One-Click");
    let (kind, target, host) = planned(both, post).expect("a plan");
    assert_eq!(kind, UnsubscribeKind::OneClick);
    assert_eq!(
        (target.as_str(), host.as_str()),
        ("https://example.com/u?id=1", "example.com")
    );
    let (kind, target, host) = planned(both, None).expect("a plan");
    assert_eq!(kind, UnsubscribeKind::Mail);
    assert_eq!(
        (target.as_str(), host.as_str()),
        ("mailto:leave@example.com", "leave@example.com")
    );
    let (kind, ..) = planned("<https://example.com/u>", None).expect("a plan");
    assert_eq!(kind, UnsubscribeKind::Page);
    let (kind, ..) =
        planned("<https://example.com/u>", Some("List-Unsubscribe=Other")).expect("a plan");
    assert_eq!(
        kind,
        UnsubscribeKind::Page,
        "only the exact one-click value"
    );
}

#[test]
fn hostile_headers_lead_nowhere() {
    let post = Some("List-Unsubscribe=One-Click");
    for bad in [
        "<http://example.com/u>",
        "<javascript:alert(1)>",
        "<data:text/html,x>",
        "<https://user:pw@example.com/u>",
        "<https://127.0.0.1/u>",
        "<https://10.1.2.3:8443/u>",
        "<https://[::1]/u>",
        "<https://[fe80::1]/u>",
        "<https://169.254.169.254/latest>",
        "<https://ex ample.com/\u{0}>",
        "<mailto:not-an-address>",
        "https://no-brackets.example/u",
        "",
    ] {
        assert_eq!(planned(bad, post), None, "{bad:?}");
    }
    let long = format!("<https://example.com/{}>", "a".repeat(MAX_URI));
    assert_eq!(planned(&long, post), None, "too long");
    let many = "<http://x.example/>,".repeat(MAX_URIS) + "<https://late.example/>";
    assert_eq!(planned(&many, post), None, "only the first URIs are read");
    let huge = "<".repeat(1 << 20);
    assert_eq!(planned(&huge, post), None);
}

#[test]
fn the_accounts_own_server_may_be_private() {
    let own = "<https://imap.example.org:8443/u>";
    let (kind, _, host) = planned(own, Some("List-Unsubscribe=One-Click")).expect("own server");
    assert_eq!(
        (kind, host.as_str()),
        (UnsubscribeKind::OneClick, "imap.example.org")
    );
    let headers = ListHeaders {
        unsubscribe: Some("<https://127.0.0.1:9/u>".into()),
        post: None,
    };
    assert!(plan(&headers, &["127.0.0.1"]).is_some());
    assert!(plan(&headers, &["127.0.0.2"]).is_none());
}

#[test]
fn public_addresses_only() {
    for private in [
        "127.0.0.1",
        "10.0.0.1",
        "172.16.0.1",
        "192.168.1.1",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fd00::1",
        "::ffff:192.168.1.1",
    ] {
        assert!(!is_public(private.parse().expect("ip")), "{private}");
    }
    for public in [
        "93.184.216.34",
        "2606:2800:220:1:248:1893:25c8:1946",
        "100.128.0.1",
    ] {
        assert!(is_public(public.parse().expect("ip")), "{public}");
    }
}
