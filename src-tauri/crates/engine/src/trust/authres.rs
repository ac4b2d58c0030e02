//! Authentication-Results (RFC 8601): parsing, and which header to believe.
//!
//! Anyone can write an Authentication-Results header into a message they send, with any
//! authserv-id and any result. Only the one the account's own provider added on receipt is
//! worth reading: RFC 8601 §5 has a border MTA delete headers that claim its own
//! authserv-id, so a header carrying the provider's id was written by the provider.
//!
//! **Which authserv-id is the provider's** (first that applies):
//! 1. the one configured for the account (`Engine::set_authserv_id`);
//! 2. a known provider's (Gmail writes `mx.google.com`, Fastmail `*.messagingengine.com`);
//! 3. the account's incoming host or any name under its parent domain (`imap.example.org`
//!    → `example.org`, `mx.example.org`...), and the same for the address's domain;
//! 4. the one learned from the account's INBOX ([`learn`]): the authserv-id of the
//!    topmost header (the last added, so the provider's when it adds one) of the first
//!    messages cached there, when at least [`LEARN_MIN`] of them agree and no other id is
//!    as common. It is saved on the account and used from then on.
//!
//! Headers are read top down (newest first) and the first whose id is trusted is the one
//! used; the rest, added further up the chain or forged by the sender, are ignored.

use crate::api::AuthOutcome;

/// One Authentication-Results header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthResults {
    /// The host that did the checks; `None` when the header has none (Microsoft 365).
    pub authserv_id: Option<String>,
    pub results: Vec<MethodResult>,
}

/// One `method=result` of a header, with its properties (`header.d=example.org`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodResult {
    /// Lower case, without its version: "dkim", "spf", "dmarc".
    pub method: String,
    pub result: AuthOutcome,
    /// `(ptype.property, value)`, the property lower case: ("header.d", "example.org").
    pub props: Vec<(String, String)>,
}

impl MethodResult {
    pub fn prop(&self, name: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parse one header value (what follows `Authentication-Results:`, unfolded).
pub fn parse(value: &str) -> AuthResults {
    let text = strip_comments(value);
    let mut parts = split_unquoted(&text, ';').into_iter();
    let mut out = AuthResults::default();
    let first = parts.next().unwrap_or_default();
    let first = first.trim();
    if first.contains('=') {
        // No authserv-id (Microsoft 365 writes "spf=pass ...; dkim=...").
        out.results.extend(resinfo(first));
    } else if let Some(id) = first.split_whitespace().next() {
        out.authserv_id = Some(id.trim_end_matches('.').to_ascii_lowercase());
    }
    for part in parts {
        out.results.extend(resinfo(part.trim()));
    }
    out
}

/// `dkim=pass reason="..." header.d=example.org header.s=sel`; "none" is no result.
fn resinfo(text: &str) -> Option<MethodResult> {
    let text = normalize_equals(text);
    let mut words = split_unquoted(&text, ' ')
        .into_iter()
        .map(|w| w.trim().to_owned())
        .filter(|w| !w.is_empty());
    let (method, result) = words.next()?.split_once('=').map(|(m, r)| {
        (
            m.split('/').next().unwrap_or(m).to_ascii_lowercase(),
            AuthOutcome::parse(unquote(r)),
        )
    })?;
    let props = words
        .filter_map(|w| {
            let (k, v) = w.split_once('=')?;
            Some((k.to_ascii_lowercase(), unquote(v).to_owned()))
        })
        .collect();
    Some(MethodResult {
        method,
        result,
        props,
    })
}

fn unquote(v: &str) -> &str {
    v.trim().trim_matches('"')
}

/// "a = b" → "a=b", outside quotes.
fn normalize_equals(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            quoted = !quoted;
        }
        if !quoted && c == '=' {
            while out.ends_with(' ') {
                out.pop();
            }
            out.push('=');
            while chars.peek() == Some(&' ') {
                chars.next();
            }
            continue;
        }
        out.push(if !quoted && c.is_whitespace() { ' ' } else { c });
    }
    out
}

/// RFC 5322 comments, nested, outside quoted strings, removed.
fn strip_comments(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let (mut depth, mut quoted, mut escaped) = (0u32, false, false);
    for c in value.chars() {
        if escaped {
            escaped = false;
            if depth == 0 {
                out.push(c);
            }
            continue;
        }
        match c {
            '\\' => {
                escaped = true;
                if depth == 0 {
                    out.push(c);
                }
            }
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => {
                depth -= 1;
                out.push(' ');
            }
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn split_unquoted(text: &str, sep: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    for c in text.chars() {
        if c == '"' {
            quoted = !quoted;
        }
        if c == sep && !quoted {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts
}

/// The authserv-ids a header must carry to be believed for an account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedIds {
    /// Ids trusted as written.
    pub exact: Vec<String>,
    /// Domains under which any id is trusted ("example.org": "mx1.example.org" too).
    pub domains: Vec<String>,
}

/// Known providers: the domain of the account's address or incoming host → the ids
/// their receiving servers write (`*.` = any name under the domain).
const PROVIDERS: &[(&str, &str)] = &[
    ("gmail.com", "mx.google.com"),
    ("googlemail.com", "mx.google.com"),
    ("fastmail.com", "*.messagingengine.com"),
    ("fastmail.fm", "*.messagingengine.com"),
    ("messagingengine.com", "*.messagingengine.com"),
];

impl TrustedIds {
    /// The rule of the module doc, steps 1 to 3, plus a learned id (step 4) if any.
    pub fn for_account(
        email: &str,
        incoming_host: &str,
        configured: Option<&str>,
        learned: Option<&str>,
    ) -> TrustedIds {
        let mut ids = TrustedIds::default();
        if let Some(id) = configured.filter(|c| !c.trim().is_empty()) {
            ids.add(id);
            return ids; // configured: exactly that, nothing guessed
        }
        let email_domain = email
            .rsplit_once('@')
            .map(|(_, d)| d.to_ascii_lowercase())
            .unwrap_or_default();
        let host = incoming_host.trim_end_matches('.').to_ascii_lowercase();
        for (domain, id) in PROVIDERS {
            if email_domain == *domain || host == *domain || host.ends_with(&format!(".{domain}")) {
                ids.add(id);
            }
        }
        if ids.exact.is_empty() && ids.domains.is_empty() {
            if !host.is_empty() {
                ids.exact.push(host.clone());
                let parent = super::org_domain(&host);
                if parent.contains('.') {
                    ids.domains.push(parent);
                }
            }
            let own = super::org_domain(&email_domain);
            if own.contains('.') && !ids.domains.contains(&own) {
                ids.domains.push(own);
            }
        }
        if let Some(id) = learned {
            ids.add(id);
        }
        ids
    }

    fn add(&mut self, id: &str) {
        let id = id.trim().trim_end_matches('.').to_ascii_lowercase();
        match id.strip_prefix("*.") {
            Some(domain) => self.domains.push(domain.to_owned()),
            None => self.exact.push(id),
        }
    }

    pub fn trusts(&self, authserv_id: &str) -> bool {
        let id = authserv_id.trim_end_matches('.').to_ascii_lowercase();
        self.exact.contains(&id)
            || self
                .domains
                .iter()
                .any(|d| id == *d || id.ends_with(&format!(".{d}")))
    }
}

/// The header to believe: the topmost whose authserv-id is trusted. `headers` are the
/// message's Authentication-Results values in header order (topmost, newest, first).
pub fn trusted<'a>(
    headers: impl IntoIterator<Item = &'a str>,
    ids: &TrustedIds,
) -> Option<AuthResults> {
    headers
        .into_iter()
        .map(parse)
        .find(|h| h.authserv_id.as_deref().is_some_and(|id| ids.trusts(id)))
}

/// How many INBOX messages must agree before an authserv-id is learned.
pub const LEARN_MIN: usize = 3;

/// Step 4 of the rule: from the topmost authserv-id of each of the first INBOX messages
/// (those without a header left out), the id most of them carry, if at least
/// [`LEARN_MIN`] do and it is strictly the most common.
pub fn learn(top_ids: &[String]) -> Option<String> {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for id in top_ids {
        *counts.entry(id.as_str()).or_default() += 1;
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.1));
    match ranked.as_slice() {
        [(id, n), rest @ ..] if *n >= LEARN_MIN && rest.first().is_none_or(|(_, m)| m < n) => {
            Some((*id).to_owned())
        }
        _ => None,
    }
}

/// The authserv-id of the topmost header among `headers` (header order), if it has one.
pub fn top_id<'a>(headers: impl IntoIterator<Item = &'a str>) -> Option<String> {
    headers
        .into_iter()
        .find(|h| !h.trim().is_empty())
        .and_then(|h| parse(h).authserv_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ids_methods_properties_and_comments() {
        let h = parse(
            "mx.google.com; dkim=pass header.i=@paypal.com header.s=pp-dkim1 header.b=\"AbC;d\"; \
             spf=pass (google.com: domain of x@paypal.com designates 1.2.3.4 as permitted sender) \
             smtp.mailfrom=x@paypal.com; dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=paypal.com",
        );
        assert_eq!(h.authserv_id.as_deref(), Some("mx.google.com"));
        assert_eq!(h.results.len(), 3, "{h:?}");
        assert_eq!(h.results[0].method, "dkim");
        assert_eq!(h.results[0].prop("header.i"), Some("@paypal.com"));
        assert_eq!(h.results[0].prop("header.b"), Some("AbC;d"));
        assert_eq!(h.results[1].result, AuthOutcome::Pass);
        assert_eq!(h.results[1].prop("smtp.mailfrom"), Some("x@paypal.com"));
        assert_eq!(h.results[2].prop("header.from"), Some("paypal.com"));
    }

    #[test]
    fn microsoft_headers_have_no_authserv_id_and_spacing_varies() {
        let h = parse(
            "spf=pass (sender IP is 40.92.1.1) smtp.mailfrom=outlook.com; dkim=pass (signature \
             was verified) header.d=outlook.com;dmarc=pass action=none header.from=outlook.com;",
        );
        assert_eq!(h.authserv_id, None);
        assert_eq!(h.results.len(), 3);
        let h = parse("mx.example.org 1; dkim = fail header.d = example.org; none");
        assert_eq!(h.authserv_id.as_deref(), Some("mx.example.org"));
        assert_eq!(h.results[0].result, AuthOutcome::Fail);
        assert_eq!(h.results[0].prop("header.d"), Some("example.org"));
    }

    #[test]
    fn only_the_providers_topmost_header_is_believed() {
        let ids = TrustedIds::for_account("bob@example.org", "imap.example.org", None, None);
        let forged = "evil.test; dkim=pass header.d=paypal.com; dmarc=pass header.from=paypal.com";
        let own = "mx.example.org; dkim=none; dmarc=fail header.from=paypal.com";
        assert_eq!(trusted([forged], &ids), None, "an outside id is ignored");
        let h = trusted([own, forged], &ids).expect("the provider's");
        assert_eq!(h.authserv_id.as_deref(), Some("mx.example.org"));
        let gmail = TrustedIds::for_account("me@gmail.com", "imap.gmail.com", None, None);
        assert!(gmail.trusts("mx.google.com"));
        assert!(!gmail.trusts("gmail.com.evil.test"));
        assert!(!gmail.trusts("example.org"));
        let configured = TrustedIds::for_account("a@b.org", "imap.b.org", Some("auth.b.net"), None);
        assert!(configured.trusts("auth.b.net") && !configured.trusts("mx.b.org"));
    }

    #[test]
    fn learns_the_id_most_first_messages_agree_on() {
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            learn(&ids(&["mx.a.net", "mx.a.net", "evil.test", "mx.a.net"])),
            Some("mx.a.net".into())
        );
        assert_eq!(learn(&ids(&["mx.a.net", "mx.a.net"])), None, "too few");
        assert_eq!(
            learn(&ids(&["a", "a", "a", "b", "b", "b"])),
            None,
            "no clear winner"
        );
        assert_eq!(
            top_id(["", "mx.a.net; spf=pass", "x; dkim=pass"]),
            Some("mx.a.net".into())
        );
    }
}
