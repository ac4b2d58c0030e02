//! SPF: exactly one record that parses, an `all` that protects something, at most 10 DNS
//! lookups (RFC 7208 §4.6.4), and coverage of the account's submission server.
//!
//! Coverage: for a submission host of a known provider, the provider's include must be
//! reachable from the record (Google's outbound servers are not smtp.gmail.com's address);
//! otherwise the submission host's own addresses must pass `check_host`.

use std::collections::BTreeSet;

use hickory_resolver::TokioResolver;
use mail_auth::common::parse::TxtRecordParser;
use mail_auth::spf::verify::SpfParameters;
use mail_auth::spf::{Macro, Mechanism, Qualifier, Spf};
use mail_auth::{MessageAuthenticator, SpfResult};

use super::{finding, Inputs};
use crate::api::{DomainReport, FindingStatus, Words};
use crate::error::Result;
use crate::trust::dns::{self, Caches};

/// Submission hosts of providers whose outbound servers an SPF include names.
const SENDING_INCLUDES: &[(&str, &str)] = &[
    ("gmail.com", "_spf.google.com"),
    ("google.com", "_spf.google.com"),
    ("office365.com", "spf.protection.outlook.com"),
    ("outlook.com", "spf.protection.outlook.com"),
    ("messagingengine.com", "spf.messagingengine.com"),
    ("fastmail.com", "spf.messagingengine.com"),
    ("zoho.com", "zoho.com"),
    ("zoho.eu", "zoho.eu"),
    ("ovh.net", "mx.ovh.com"),
    ("gandi.net", "_mailcust.gandi.net"),
    ("mailbox.org", "mailbox.org"),
];

pub(super) async fn spf(
    resolver: &TokioResolver,
    auth: &MessageAuthenticator,
    domain: &str,
    inputs: &Inputs,
    report: &mut DomainReport,
) -> Result<()> {
    let records = dns::txt(resolver, domain).await?;
    let Some((record, spf)) = the_record(domain, &records, report) else {
        return Ok(());
    };
    report.findings.push(finding(
        "spf",
        FindingStatus::Ok,
        Words::new(
            format!("{domain} publishes an SPF record."),
            format!("{domain} publie un enregistrement SPF."),
        ),
        None,
        Some(record),
    ));
    ending(&spf, report);
    let included = lookups(resolver, domain, report).await?;
    if let Some(host) = &inputs.smtp_host {
        coverage(resolver, auth, domain, host, &included, report).await?;
    }
    Ok(())
}

/// The domain's one SPF record, parsed; none, several or one that does not parse is
/// reported here, and the rest of the check skipped.
fn the_record(
    domain: &str,
    records: &[String],
    report: &mut DomainReport,
) -> Option<(String, Spf)> {
    let fix_add = Words::new(
        format!("Publish one TXT record at {domain}: \"v=spf1 include:<your provider's SPF domain> -all\" (your provider documents the include)."),
        format!("Publiez un enregistrement TXT à {domain} : « v=spf1 include:<domaine SPF de votre fournisseur> -all » (votre fournisseur indique l'include)."),
    );
    let record = match spf_records(records).as_slice() {
        [] => {
            report.findings.push(finding(
                "spf",
                FindingStatus::Error,
                Words::new(
                    format!("{domain} has no SPF record: receivers cannot tell which servers may send its mail."),
                    format!("{domain} n'a pas d'enregistrement SPF : les destinataires ne peuvent pas savoir quels serveurs peuvent envoyer son courrier."),
                ),
                Some(fix_add),
                None,
            ));
            return None;
        }
        [one] => (*one).clone(),
        many => {
            report.findings.push(finding(
                "spf",
                FindingStatus::Error,
                Words::new(
                    format!("{domain} has {} SPF records: receivers treat that as an error and ignore them all.", many.len()),
                    format!("{domain} a {} enregistrements SPF : les destinataires y voient une erreur et les ignorent tous.", many.len()),
                ),
                Some(Words::new("Merge them into one v=spf1 record.", "Fusionnez-les en un seul enregistrement v=spf1.")),
                Some(many.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(" | ")),
            ));
            return None;
        }
    };
    match Spf::parse(record.as_bytes()) {
        Ok(spf) => Some((record, spf)),
        Err(e) => {
            report.findings.push(finding(
                "spf",
                FindingStatus::Error,
                Words::new(
                    format!("The SPF record of {domain} does not parse ({e}): receivers treat it as an error."),
                    format!("L'enregistrement SPF de {domain} est illisible ({e}) : les destinataires le traitent comme une erreur."),
                ),
                Some(fix_add),
                Some(record),
            ));
            None
        }
    }
}

/// The `v=spf1` records among `records`.
fn spf_records(records: &[String]) -> Vec<&String> {
    records
        .iter()
        .filter(|r| {
            let r = r.trim_start().to_ascii_lowercase();
            r == "v=spf1" || r.starts_with("v=spf1 ")
        })
        .collect()
}

/// The "all" at the end: `+all` lets anyone send, none (or `?all`) protects nothing.
fn ending(spf: &Spf, report: &mut DomainReport) {
    let all = spf
        .directives
        .iter()
        .find(|d| d.mechanism == Mechanism::All)
        .map(|d| d.qualifier.clone());
    match (all, &spf.redirect) {
        (Some(Qualifier::Pass), _) => report.findings.push(finding(
            "spf",
            FindingStatus::Error,
            Words::new(
                "The SPF record ends with +all: it allows every server in the world to send as you.",
                "L'enregistrement SPF finit par +all : il autorise n'importe quel serveur à envoyer en votre nom.",
            ),
            Some(Words::new("End it with -all (or ~all while testing).", "Terminez-le par -all (ou ~all le temps de tester).")),
            None,
        )),
        (Some(Qualifier::Neutral), _) | (None, None) => report.findings.push(finding(
            "spf",
            FindingStatus::Warning,
            Words::new(
                "The SPF record does not say what to do with other servers (no -all or ~all): it protects nothing.",
                "L'enregistrement SPF ne dit pas quoi faire des autres serveurs (ni -all ni ~all) : il ne protège rien.",
            ),
            Some(Words::new("End it with -all (or ~all while testing).", "Terminez-le par -all (ou ~all le temps de tester).")),
            None,
        )),
        _ => {}
    }
}

/// Count the record's DNS lookups (reported, an error past 10) and return every domain it
/// includes.
async fn lookups(
    resolver: &TokioResolver,
    domain: &str,
    report: &mut DomainReport,
) -> Result<BTreeSet<String>> {
    let (mut lookups, mut included) = (0, BTreeSet::new());
    spf_walk(resolver, domain, &mut lookups, &mut included, 0).await?;
    report.spf_lookups = lookups;
    if lookups > 10 {
        report.findings.push(finding(
            "spf",
            FindingStatus::Error,
            Words::new(
                format!("Checking the SPF record takes {lookups} DNS lookups; receivers stop at 10 and treat it as an error."),
                format!("Vérifier l'enregistrement SPF demande {lookups} requêtes DNS ; les destinataires s'arrêtent à 10 et y voient une erreur."),
            ),
            Some(Words::new(
                "Remove includes you no longer use, or replace some with the ip4:/ip6: ranges they stand for.",
                "Retirez les include inutilisés, ou remplacez-en par les plages ip4:/ip6: qu'ils désignent.",
            )),
            None,
        ));
    }
    Ok(included)
}

fn literal(m: &Macro) -> Option<String> {
    match m {
        Macro::Literal(bytes) => Some(String::from_utf8_lossy(bytes).to_ascii_lowercase()),
        _ => None,
    }
}

/// Walk the SPF tree from `domain`: the DNS lookups it costs (RFC 7208 §4.6.4) and every
/// domain it includes.
async fn spf_walk(
    resolver: &TokioResolver,
    domain: &str,
    lookups: &mut u32,
    included: &mut BTreeSet<String>,
    depth: u32,
) -> Result<()> {
    if depth > 10 || !included.insert(domain.to_owned()) {
        return Ok(());
    }
    let records = dns::txt(resolver, domain).await?;
    let Some(record) = spf_records(&records).into_iter().next() else {
        return Ok(());
    };
    let Ok(spf) = Spf::parse(record.as_bytes()) else {
        return Ok(());
    };
    let mut next = Vec::new();
    for d in &spf.directives {
        match &d.mechanism {
            Mechanism::Include { macro_string } => {
                *lookups += 1;
                next.extend(literal(macro_string));
            }
            Mechanism::A { .. }
            | Mechanism::Mx { .. }
            | Mechanism::Ptr { .. }
            | Mechanism::Exists { .. } => *lookups += 1,
            _ => {}
        }
    }
    if let Some(redirect) = &spf.redirect {
        *lookups += 1;
        next.extend(literal(redirect));
    }
    for d in next {
        Box::pin(spf_walk(resolver, &d, lookups, included, depth + 1)).await?;
    }
    Ok(())
}

/// Does the record cover the account's submission server? (See the module doc.)
async fn coverage(
    resolver: &TokioResolver,
    auth: &MessageAuthenticator,
    domain: &str,
    host: &str,
    included: &BTreeSet<String>,
    report: &mut DomainReport,
) -> Result<()> {
    let host = host.to_ascii_lowercase();
    let include = SENDING_INCLUDES
        .iter()
        .find(|(suffix, _)| host == *suffix || host.ends_with(&format!(".{suffix}")))
        .map(|(_, include)| *include);
    let covered = match include {
        Some(include) => Some(included.contains(include)),
        None => addresses_pass(resolver, auth, domain, &host).await?,
    };
    let what = include
        .map(|i| format!("include:{i}"))
        .unwrap_or_else(|| format!("the addresses of {host}"));
    match covered {
        Some(true) => report.findings.push(finding(
            "spf",
            FindingStatus::Ok,
            Words::new(
                format!("It covers your outgoing server {host}."),
                format!("Il couvre votre serveur d'envoi {host}."),
            ),
            None,
            None,
        )),
        Some(false) => report.findings.push(finding(
            "spf",
            FindingStatus::Error,
            Words::new(
                format!("It does not cover your outgoing server {host}: mail you send may be refused or land in spam."),
                format!("Il ne couvre pas votre serveur d'envoi {host} : votre courrier peut être refusé ou classé en spam."),
            ),
            Some(Words::new(
                format!("Add {what} to the SPF record, before the final -all."),
                format!("Ajoutez {what} à l'enregistrement SPF, avant le -all final."),
            )),
            None,
        )),
        None => {}
    }
    Ok(())
}

/// Whether every address of `host` passes the domain's SPF; `None` when it has none.
async fn addresses_pass(
    resolver: &TokioResolver,
    auth: &MessageAuthenticator,
    domain: &str,
    host: &str,
) -> Result<Option<bool>> {
    let ips = dns::addresses(resolver, host).await?;
    if ips.is_empty() {
        return Ok(None);
    }
    let caches = Caches::default();
    let sender = format!("postmaster@{domain}");
    let mut all_pass = true;
    for ip in ips {
        let params = SpfParameters::verify_mail_from(ip, host, "courriel.invalid", &sender);
        let out = auth.verify_spf(caches.params(params)).await;
        all_pass &= out.result() == SpfResult::Pass;
    }
    Ok(Some(all_pass))
}
