//! `List-Unsubscribe` (RFC 2369) and `List-Unsubscribe-Post` (RFC 8058) read from a
//! message's header block, hostile input in mind: only the first [`MAX_HEADER`] bytes of
//! a header are read, at most [`MAX_URIS`] URIs, none longer than [`MAX_URI`]; only
//! `https:` and `mailto:` count (never `http:`, `javascript:`, `data:` or anything else);
//! an https URL naming a private or loopback address literally is dropped here (a host
//! name is checked when it is resolved, `post`), unless it is the account's own server.

use std::net::IpAddr;

use crate::api::{UnsubscribeKind, UnsubscribePlan};

/// The most of one header read; real ones are a few hundred bytes.
pub const MAX_HEADER: usize = 8 * 1024;
/// The most URIs taken from one header.
pub const MAX_URIS: usize = 8;
/// The longest URI taken.
pub const MAX_URI: usize = 2048;
/// How far into a message its header block may go.
pub const MAX_HEAD: usize = 256 * 1024;

/// The two headers' values as found (unfolded, bounded).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ListHeaders {
    pub unsubscribe: Option<String>,
    pub post: Option<String>,
}

/// The headers of `raw` (a whole message, or its header block).
pub fn read(raw: &[u8]) -> ListHeaders {
    let head = &raw[..raw.len().min(MAX_HEAD)];
    let end = find(head, b"\r\n\r\n")
        .or_else(|| find(head, b"\n\n"))
        .unwrap_or(head.len());
    let text = String::from_utf8_lossy(&head[..end]);
    let mut found = ListHeaders::default();
    let mut current: Option<(String, String)> = None;
    let finish = |field: Option<(String, String)>, found: &mut ListHeaders| {
        let Some((name, value)) = field else { return };
        let slot = match name.to_ascii_lowercase().as_str() {
            "list-unsubscribe" => &mut found.unsubscribe,
            "list-unsubscribe-post" => &mut found.post,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(value.trim().to_owned());
        }
    };
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = current.as_mut() {
                if value.len() < MAX_HEADER {
                    value.push(' ');
                    value.push_str(line.trim());
                }
            }
            continue;
        }
        finish(current.take(), &mut found);
        current = line.split_once(':').map(|(name, value)| {
            let value: String = value.chars().take(MAX_HEADER).collect();
            (name.trim().to_owned(), value)
        });
    }
    finish(current, &mut found);
    found
}

/// The URIs of a `List-Unsubscribe` value: each between angle brackets, whitespace inside
/// dropped (RFC 2369 §2), bounded.
pub fn uris(value: &str) -> Vec<String> {
    let value: String = value.chars().take(MAX_HEADER).collect();
    let mut out = Vec::new();
    let mut rest = value.as_str();
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start + 1..].find('>') else {
            break;
        };
        let uri: String = rest[start + 1..start + 1 + len]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if !uri.is_empty() && uri.len() <= MAX_URI && !uri.chars().any(char::is_control) {
            out.push(uri);
        }
        if out.len() == MAX_URIS {
            break;
        }
        rest = &rest[start + 1 + len + 1..];
    }
    out
}

/// What Unsubscribe does for a message with these headers; `own_hosts`: the account's
/// servers (a list there may be on a private address). None: no usable way.
pub fn plan(headers: &ListHeaders, own_hosts: &[&str]) -> Option<UnsubscribePlan> {
    let uris = uris(headers.unsubscribe.as_deref()?);
    let web: Vec<(String, String)> = uris
        .iter()
        .filter_map(|u| https_host(u).map(|h| (u.clone(), h)))
        .filter(|(_, host)| allowed_literal(host, own_hosts))
        .collect();
    let one_click = headers
        .post
        .as_deref()
        .is_some_and(|p| p.trim() == "List-Unsubscribe=One-Click");
    let make = |kind, (target, host): (String, String)| UnsubscribePlan { kind, target, host };
    if let (true, Some(first)) = (one_click, web.first()) {
        return Some(make(UnsubscribeKind::OneClick, first.clone()));
    }
    let mail = uris
        .iter()
        .find_map(|u| mail_to(u).map(|to| (u.clone(), to)));
    if let Some(mail) = mail {
        return Some(make(UnsubscribeKind::Mail, mail));
    }
    web.into_iter()
        .next()
        .map(|w| make(UnsubscribeKind::Page, w))
}

/// The host of an `https://` URL (lower case, brackets of an IPv6 literal removed);
/// None for any other scheme or a URL with credentials or no host.
pub fn https_host(url: &str) -> Option<String> {
    let rest = url
        .get(..8)
        .filter(|s| s.eq_ignore_ascii_case("https://"))?;
    let rest = &url[rest.len()..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if authority.contains('@') || authority.is_empty() {
        return None;
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    let ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    ok.then(|| host.to_ascii_lowercase())
}

/// The address of a `mailto:` URI, when it has one that looks like an address.
fn mail_to(uri: &str) -> Option<String> {
    if !crate::mailto::is_mailto(uri) {
        return None;
    }
    let draft = crate::mailto::parse(uri).ok()?;
    let to = draft.to.into_iter().next()?;
    to.contains('@').then_some(to)
}

/// A literal address must be public, or the account's own server's.
fn allowed_literal(host: &str, own_hosts: &[&str]) -> bool {
    if own_hosts.iter().any(|own| own.eq_ignore_ascii_case(host)) {
        return true;
    }
    host.parse::<IpAddr>().map_or(true, is_public)
}

/// Not loopback, private, link-local, shared (CGNAT), unspecified, broadcast or
/// multicast: an address on the internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || a == 0
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
#[path = "header_tests.rs"]
mod tests;
