//! Blocklists: whether the addresses the domain's mail leaves from (its MX hosts, which
//! often send too, and the single addresses its SPF record names) are listed on the DNS
//! blocklists receivers consult. A listed address gets mail refused with "5.7.1 ... blocked
//! using zen.spamhaus.org", whatever the rest of the setup.
//!
//! A DNSBL is asked by name: `4.3.2.192.zen.spamhaus.org` has an A record in 127.0.0.0/8
//! when 192.2.3.4 is listed, and none when it is not. Spamhaus answers 127.255.255.x to
//! queries it will not serve (public resolvers, over quota): that is "could not check", not
//! "listed". A lookup that fails is never an error of the whole domain check.

use std::net::{IpAddr, Ipv4Addr};

use hickory_resolver::TokioResolver;

use super::finding;
use crate::api::{DomainReport, FindingStatus, Words};
use crate::trust::dns;

/// The lists most receivers consult, with where a listed address asks to be removed.
pub const ZONES: &[(&str, &str, &str)] = &[
    (
        "zen.spamhaus.org",
        "Spamhaus",
        "https://check.spamhaus.org/",
    ),
    (
        "b.barracudacentral.org",
        "Barracuda",
        "https://www.barracudacentral.org/rbl/removal-request",
    ),
    (
        "bl.spamcop.net",
        "SpamCop",
        "https://www.spamcop.net/bl.shtml",
    ),
];

/// At most this many addresses are asked about (a record naming hundreds is not ours).
const MAX_ADDRESSES: usize = 10;

/// One listing found.
struct Listed {
    address: Ipv4Addr,
    list: String,
    removal: Option<String>,
}

/// `zones`: the lists to ask (empty: [`ZONES`]); `spf`: the SPF record's text, if any.
pub(super) async fn blocklists(
    resolver: &TokioResolver,
    domain: &str,
    spf: Option<&str>,
    zones: &[String],
    report: &mut DomainReport,
) {
    let addresses = sending_addresses(resolver, domain, spf).await;
    if addresses.is_empty() {
        return;
    }
    let zones: Vec<(String, String, Option<String>)> = if zones.is_empty() {
        ZONES
            .iter()
            .map(|(z, n, u)| (z.to_string(), n.to_string(), Some(u.to_string())))
            .collect()
    } else {
        zones.iter().map(|z| (z.clone(), z.clone(), None)).collect()
    };
    let mut listed = Vec::new();
    let mut unchecked = Vec::new();
    for &address in &addresses {
        for (zone, name, removal) in &zones {
            match ask(resolver, address, zone).await {
                Some(true) => listed.push(Listed {
                    address,
                    list: name.clone(),
                    removal: removal.clone(),
                }),
                Some(false) => {}
                None => unchecked.push(name.clone()),
            }
        }
    }
    unchecked.sort();
    unchecked.dedup();
    report
        .findings
        .push(verdict(domain, &addresses, &listed, &unchecked));
}

/// Whether `address` is on `zone`: `None` when the list would not say.
async fn ask(resolver: &TokioResolver, address: Ipv4Addr, zone: &str) -> Option<bool> {
    let [a, b, c, d] = address.octets();
    let name = format!("{d}.{c}.{b}.{a}.{zone}");
    let answers = dns::addresses(resolver, &name).await.ok()?;
    let mut listed = false;
    for answer in answers {
        let IpAddr::V4(v4) = answer else { continue };
        let [first, second, third, _] = v4.octets();
        if first != 127 || (second, third) == (255, 255) {
            return None; // an error code, or a resolver that rewrites NXDOMAIN
        }
        listed = true;
    }
    Some(listed)
}

/// The MX hosts' IPv4 addresses and the SPF record's single `ip4:` addresses.
async fn sending_addresses(
    resolver: &TokioResolver,
    domain: &str,
    spf: Option<&str>,
) -> Vec<Ipv4Addr> {
    let mut found: Vec<Ipv4Addr> = spf.map(spf_literals).unwrap_or_default();
    for host in dns::mx(resolver, domain)
        .await
        .unwrap_or_default()
        .into_iter()
        .flatten()
    {
        for ip in dns::addresses(resolver, &host).await.unwrap_or_default() {
            if let IpAddr::V4(v4) = ip {
                found.push(v4);
            }
        }
    }
    found.sort();
    found.dedup();
    found.retain(|ip| !ip.is_loopback() && !ip.is_private() && !ip.is_unspecified());
    found.truncate(MAX_ADDRESSES);
    found
}

/// `ip4:192.0.2.10` and `ip4:192.0.2.10/32` (a range is not one machine: not asked).
fn spf_literals(record: &str) -> Vec<Ipv4Addr> {
    record
        .split_whitespace()
        .filter_map(|term| {
            term.trim_start_matches(['+', '~', '?'])
                .strip_prefix("ip4:")
        })
        .filter_map(|value| value.strip_suffix("/32").unwrap_or(value).parse().ok())
        .collect()
}

fn verdict(
    domain: &str,
    addresses: &[Ipv4Addr],
    listed: &[Listed],
    unchecked: &[String],
) -> crate::api::DomainFinding {
    let count = addresses.len();
    if listed.is_empty() {
        let (status, en, fr) = if unchecked.is_empty() {
            (FindingStatus::Ok,
             format!("None of the {count} addresses {domain}'s mail leaves from is on a blocklist."),
             format!("Aucune des {count} adresses d'où part le courrier de {domain} n'est sur une liste de blocage."))
        } else {
            (FindingStatus::Info,
             format!("{} would not answer from this network; no other list names {domain}'s {count} sending addresses.", unchecked.join(", ")),
             format!("{} n'a pas répondu depuis ce réseau ; aucune autre liste ne cite les {count} adresses d'envoi de {domain}.", unchecked.join(", ")))
        };
        return finding("blocklists", status, Words::new(en, fr), None, None);
    }
    let names: Vec<String> = listed
        .iter()
        .map(|l| format!("{} on {}", l.address, l.list))
        .collect();
    let removal: Vec<String> = listed.iter().filter_map(|l| l.removal.clone()).collect();
    let fix_en = format!("Ask whoever runs that server (your provider, or your host for a server of your own) to find why it was listed and request removal{}.", where_(&removal));
    let fix_fr = format!("Demandez à qui gère ce serveur (votre fournisseur, ou votre hébergeur pour un serveur à vous) pourquoi il est listé et de demander son retrait{}.", where_(&removal));
    finding(
        "blocklists",
        FindingStatus::Error,
        Words::new(
            format!("Listed: {}. Receivers that consult these lists refuse mail sent from there (\"5.7.1 ... blocked\").", names.join(", ")),
            format!("Listée : {}. Les destinataires qui consultent ces listes refusent le courrier qui en part (« 5.7.1 ... blocked »).", names.join(", ")),
        ),
        Some(Words::new(fix_en, fix_fr)),
        Some(names.join("\n")),
    )
}

fn where_(pages: &[String]) -> String {
    let mut pages = pages.to_vec();
    pages.dedup();
    if pages.is_empty() {
        String::new()
    } else {
        format!(" ({})", pages.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::spf_literals;

    #[test]
    fn only_single_addresses_of_an_spf_record_are_asked() {
        let record = "v=spf1 ip4:192.0.2.10 +ip4:192.0.2.11/32 ip4:198.51.100.0/24 ip6:2001:db8::1 include:x.test -all";
        let found: Vec<String> = spf_literals(record).iter().map(|a| a.to_string()).collect();
        assert_eq!(found, ["192.0.2.10", "192.0.2.11"]);
    }
}
