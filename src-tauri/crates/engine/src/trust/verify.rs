//! Local verification with mail-auth, for messages without a trusted
//! Authentication-Results: DKIM over the whole message, SPF for the hop that handed the
//! message to the provider (read from the Received chain), and DMARC alignment of both
//! with the From domain.
//!
//! The hop: Received headers are read top down (newest first) and the first whose `from`
//! clause names an address outside loopback and private ranges is taken as the server
//! that delivered to the provider; its address and HELO name, with the Return-Path, are
//! what SPF is checked with. A sender can add Received headers of its own below that one,
//! never above it, since the provider's servers add theirs on top.

use std::net::IpAddr;

use mail_auth::dmarc::verify::DmarcParameters;
use mail_auth::spf::verify::SpfParameters;
use mail_auth::{
    AuthenticatedMessage, DkimOutput, DkimResult, DmarcResult, MessageAuthenticator, SpfOutput,
    SpfResult,
};

use super::dns::Caches;
use crate::api::{AuthCheck, AuthOutcome};

/// What the checks found, one entry per DKIM signature, then SPF, then DMARC.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Local {
    pub checks: Vec<AuthCheck>,
    /// The From domain's DMARC record exists (so its absence of a pass is a fail).
    pub dmarc_record: bool,
}

/// Verify `raw` (a whole message). DNS answers come from `caches` first, then from
/// `auth`'s resolver.
pub async fn verify(auth: &MessageAuthenticator, caches: &Caches, raw: &[u8]) -> Option<Local> {
    let msg = AuthenticatedMessage::parse(raw)?;
    let mut checks = Vec::new();

    let dkim = auth.verify_dkim(caches.params(&msg)).await;
    for out in &dkim {
        checks.push(AuthCheck {
            method: "dkim".into(),
            result: dkim_outcome(out.result()),
            domain: out.signature().map(|s| s.d.to_ascii_lowercase()),
        });
    }

    let (spf, spf_check) = spf(auth, caches, &msg).await;
    let mail_from_domain = spf_check.domain.clone().unwrap_or_default();
    checks.push(spf_check);

    let (dmarc_check, record) = dmarc(auth, caches, &msg, &dkim, &spf, &mail_from_domain).await;
    checks.push(dmarc_check);
    Some(Local {
        checks,
        dmarc_record: record,
    })
}

/// SPF for the hop that delivered the message to the provider (see the module doc), with
/// the Return-Path as the sender, else the HELO name; no such hop: `none`.
async fn spf(
    auth: &MessageAuthenticator,
    caches: &Caches,
    msg: &AuthenticatedMessage<'_>,
) -> (SpfOutput, AuthCheck) {
    let mail_from = return_path(msg);
    let hop = delivering_hop(msg);
    let spf = match &hop {
        Some((ip, helo)) => {
            let helo = helo.as_str();
            let params = match mail_from.as_deref() {
                Some(sender) if sender.contains('@') => {
                    SpfParameters::verify_mail_from(*ip, helo, "courriel.invalid", sender)
                }
                _ => SpfParameters::verify_ehlo(*ip, helo, "courriel.invalid"),
            };
            auth.verify_spf(caches.params(params)).await
        }
        None => SpfOutput::new(String::new()),
    };
    let spf_domain = (!spf.domain().is_empty()).then(|| spf.domain().to_ascii_lowercase());
    let check = AuthCheck {
        method: "spf".into(),
        result: if hop.is_some() {
            spf_outcome(spf.result())
        } else {
            AuthOutcome::None
        },
        domain: spf_domain,
    };
    (spf, check)
}

/// DMARC for the From domain, from the DKIM and SPF results; and whether the domain
/// publishes a DMARC record (without one, no pass is `none`, not `fail`).
async fn dmarc(
    auth: &MessageAuthenticator,
    caches: &Caches,
    msg: &AuthenticatedMessage<'_>,
    dkim: &[DkimOutput<'_>],
    spf: &SpfOutput,
    mail_from_domain: &str,
) -> (AuthCheck, bool) {
    let dmarc_params = DmarcParameters::new(msg, dkim, mail_from_domain, spf)
        .with_domain_suffix_fn(super::org_domain_str);
    let dmarc = auth.verify_dmarc(caches.params(dmarc_params)).await;
    let record = dmarc.dmarc_record().is_some();
    let result = match (dmarc.dkim_result(), dmarc.spf_result()) {
        (DmarcResult::Pass, _) | (_, DmarcResult::Pass) => AuthOutcome::Pass,
        (DmarcResult::TempError(_), _) | (_, DmarcResult::TempError(_)) => AuthOutcome::TempError,
        (DmarcResult::PermError(_), _) | (_, DmarcResult::PermError(_)) => AuthOutcome::PermError,
        _ if record => AuthOutcome::Fail,
        _ => AuthOutcome::None,
    };
    let from_domain = msg
        .from()
        .rsplit_once('@')
        .map(|(_, d)| d.to_ascii_lowercase());
    let check = AuthCheck {
        method: "dmarc".into(),
        result,
        domain: from_domain,
    };
    (check, record)
}

fn dkim_outcome(r: &DkimResult) -> AuthOutcome {
    match r {
        DkimResult::Pass => AuthOutcome::Pass,
        // The body changed after signing: the signature does not verify.
        DkimResult::Neutral(mail_auth::Error::FailedBodyHashMatch) => AuthOutcome::Fail,
        DkimResult::Neutral(_) => AuthOutcome::Neutral,
        DkimResult::Fail(_) => AuthOutcome::Fail,
        DkimResult::PermError(_) => AuthOutcome::PermError,
        DkimResult::TempError(_) => AuthOutcome::TempError,
        DkimResult::None => AuthOutcome::None,
    }
}

fn spf_outcome(r: SpfResult) -> AuthOutcome {
    match r {
        SpfResult::Pass => AuthOutcome::Pass,
        SpfResult::Fail => AuthOutcome::Fail,
        SpfResult::SoftFail => AuthOutcome::SoftFail,
        SpfResult::Neutral => AuthOutcome::Neutral,
        SpfResult::TempError => AuthOutcome::TempError,
        SpfResult::PermError => AuthOutcome::PermError,
        SpfResult::None => AuthOutcome::None,
    }
}

fn header_values<'a>(msg: &'a AuthenticatedMessage<'a>, name: &str) -> Vec<String> {
    msg.raw_parsed_headers()
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
        .map(|(_, v)| {
            String::from_utf8_lossy(v)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The envelope sender the provider recorded (`Return-Path: <x@example.org>`).
fn return_path(msg: &AuthenticatedMessage<'_>) -> Option<String> {
    header_values(msg, "Return-Path")
        .into_iter()
        .next()
        .map(|v| {
            v.trim()
                .trim_matches(['<', '>'])
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|v| !v.is_empty())
}

/// The server that handed the message to the provider: its address and HELO name.
fn delivering_hop(msg: &AuthenticatedMessage<'_>) -> Option<(IpAddr, String)> {
    header_values(msg, "Received")
        .iter()
        .filter_map(|r| received_from(r))
        .find(|(ip, _)| !internal(ip))
}

/// `from helo.example (rdns [192.0.2.1]) by ...` → (192.0.2.1, "helo.example").
pub(crate) fn received_from(value: &str) -> Option<(IpAddr, String)> {
    let lower = value.to_ascii_lowercase();
    let from = lower.strip_prefix("from ")?;
    let clause = from.split(" by ").next()?;
    let helo = clause.split_whitespace().next()?.to_owned();
    let ip = clause.split('[').skip(1).find_map(|part| {
        let inside = part.split(']').next()?;
        inside.trim_start_matches("ipv6:").parse::<IpAddr>().ok()
    })?;
    Some((ip, helo))
}

/// Loopback, private, link-local: a hop inside the provider (or a test's 127.0.0.1).
fn internal(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback() || v4.is_private() || v4.is_link_local() || v4.is_unspecified()
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link local
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delivering_hop_is_read_from_received() {
        assert_eq!(
            received_from(
                "from mail.paypal.test (mail.paypal.test [192.0.2.10]) by mx.example.test \
                 (Postfix) with ESMTPS id 1; Tue, 1 Sep 2026 10:00:00 +0000"
            ),
            Some(("192.0.2.10".parse().expect("ip"), "mail.paypal.test".into()))
        );
        assert_eq!(
            received_from("from x.test ([IPv6:2001:db8::1]) by y"),
            Some(("2001:db8::1".parse().expect("ip"), "x.test".into()))
        );
        assert_eq!(received_from("by mx.example.test with LMTP"), None);
        assert!(internal(&"127.0.0.1".parse().expect("ip")));
        assert!(internal(&"10.1.2.3".parse().expect("ip")));
        assert!(!internal(&"192.0.2.10".parse().expect("ip")));
    }
}
