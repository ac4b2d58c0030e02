//! DNS for autoconfig, through hickory-resolver on tokio: SRV and MX records, and the
//! addresses of the HTTPS hosts (so one name server, the system's or a test's, answers
//! every question of a discovery). Every name is asked fully qualified, so no search
//! domain from resolv.conf is ever appended (`crate::dns` builds the resolver).

use std::net::IpAddr;

use hickory_resolver::{Name, ResolveError, TokioResolver};

use super::tried::Miss;
use super::Discovery;
use crate::dns::{fqdn, host_of};
use crate::error::Result;

pub(super) type Resolver = TokioResolver;

/// The resolver `d` asks for: its own name server (tests) or the system's. Two tries
/// fit in the lookup's own bound (`Discovery::timeout`).
pub(super) fn resolver(d: &Discovery) -> Result<Resolver> {
    crate::dns::resolver(d.resolver, d.timeout / 2)
}

/// A domain as DNS asks for it: IDNA (punycode) for non-ASCII names, lower case, no
/// trailing dot, at least two labels of letters, digits and hyphens.
pub(super) fn ascii_domain(domain: &str) -> Option<String> {
    let domain = domain.trim().trim_end_matches('.');
    let ascii = Name::from_utf8(domain)
        .ok()?
        .to_ascii()
        .to_ascii_lowercase();
    let ascii = ascii.trim_end_matches('.').to_owned();
    let labels: Vec<&str> = ascii.split('.').collect();
    let valid = labels.len() >= 2
        && ascii.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    valid.then_some(ascii)
}

/// One SRV record; `target` is `None` for ".", "the service is decidedly not available"
/// (RFC 2782).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SrvRecord {
    pub target: Option<String>,
    pub port: u16,
    pub priority: u16,
    pub weight: u16,
}

/// The SRV records at `name`; none is `Ok(empty)`.
pub(super) async fn srv(resolver: &Resolver, name: &str) -> Result<Vec<SrvRecord>, Miss> {
    match resolver.srv_lookup(fqdn(name)).await {
        Ok(lookup) => Ok(lookup
            .iter()
            .map(|srv| SrvRecord {
                target: host_of(srv.target()),
                port: srv.port(),
                priority: srv.priority(),
                weight: srv.weight(),
            })
            .collect()),
        Err(e) if e.is_no_records_found() => Ok(Vec::new()),
        Err(e) => Err(failure(&e)),
    }
}

/// The mail exchangers of `domain`, most preferred first; a null MX (RFC 7505) is `None`.
pub(super) async fn mx(resolver: &Resolver, domain: &str) -> Result<Vec<Option<String>>, Miss> {
    match resolver.mx_lookup(fqdn(domain)).await {
        Ok(lookup) => {
            let mut records: Vec<(u16, Option<String>)> = lookup
                .iter()
                .map(|mx| (mx.preference(), host_of(mx.exchange())))
                .collect();
            records.sort();
            Ok(records.into_iter().map(|(_, host)| host).collect())
        }
        Err(e) if e.is_no_records_found() => Ok(Vec::new()),
        Err(e) => Err(failure(&e)),
    }
}

/// The addresses of `host`, for an HTTPS fetch.
pub(super) async fn addresses(resolver: &Resolver, host: &str) -> Result<Vec<IpAddr>, Miss> {
    match resolver.lookup_ip(fqdn(host)).await {
        Ok(lookup) => {
            let ips: Vec<IpAddr> = lookup.iter().collect();
            if ips.is_empty() {
                Err(Miss::absent(format!("{host} has no address in DNS")))
            } else {
                Ok(ips)
            }
        }
        Err(e) if e.is_nx_domain() => Err(Miss::absent(format!("{host} does not exist in DNS"))),
        Err(e) if e.is_no_records_found() => {
            Err(Miss::absent(format!("{host} has no address in DNS")))
        }
        Err(e) => Err(failure(&e)),
    }
}

/// A DNS failure other than "no such records": the server refused, timed out, or could
/// not be reached.
fn failure(e: &ResolveError) -> Miss {
    Miss::network(format!("DNS lookup failed: {e}"))
}
