//! The user's own domain, checked the way receivers will: MX, SPF (syntax, the 10-lookup
//! limit, whether it covers the account's submission server), DKIM (the selectors the
//! user's sent mail is signed with), DMARC (policy and alignment), MTA-STS and TLS-RPT.
//! Each finding says what was found and, when something should change, the fix, in
//! English and French.
//!
//! Addresses at mail providers (gmail.com, outlook.com...) are not checked: their users
//! cannot change the DNS, so the report only says so (`user_controlled: false`) and the
//! settings page hides itself.
//!
//! SPF coverage: for a submission host of a known provider, the provider's include must
//! be reachable from the record (Google's outbound servers are not smtp.gmail.com's
//! address); otherwise the submission host's own addresses must pass `check_host`.

use std::collections::BTreeSet;

use hickory_resolver::TokioResolver;
use mail_auth::common::parse::TxtRecordParser;
use mail_auth::dmarc::{Alignment, Dmarc, Policy};
use mail_auth::mta_sts::{MtaSts, TlsRpt};
use mail_auth::spf::verify::SpfParameters;
use mail_auth::spf::{Macro, Mechanism, Qualifier, Spf};
use mail_auth::{MessageAuthenticator, SpfResult};

use super::dns::{self, Caches};
use crate::api::{DomainFinding, DomainReport, FindingStatus, Words};
use crate::error::Result;

/// Domains whose users cannot publish DNS records.
const PROVIDER_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "outlook.fr",
    "hotmail.com",
    "hotmail.fr",
    "live.com",
    "live.fr",
    "msn.com",
    "yahoo.com",
    "yahoo.fr",
    "ymail.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "gmx.com",
    "gmx.fr",
    "gmx.de",
    "gmx.net",
    "web.de",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "sfr.fr",
    "neuf.fr",
    "laposte.net",
    "bbox.fr",
    "protonmail.com",
    "proton.me",
    "pm.me",
    "fastmail.com",
    "zoho.com",
    "yandex.com",
    "yandex.ru",
    "mail.ru",
    "tutanota.com",
    "mailbox.org",
    "posteo.de",
    "posteo.net",
];

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

/// Selectors tried when the user's sent mail names none.
const COMMON_SELECTORS: &[&str] = &[
    "default",
    "selector1",
    "selector2",
    "google",
    "k1",
    "s1",
    "s2",
    "mail",
    "dkim",
    "fm1",
];

/// Whether the user of an address at `domain` can change its DNS.
pub fn user_controlled(domain: &str) -> bool {
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    !PROVIDER_DOMAINS.contains(&domain.as_str())
}

/// What the check needs to know besides the domain.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The account's submission host, when an account uses the domain.
    pub smtp_host: Option<String>,
    /// DKIM selectors seen on the user's sent mail from this domain.
    pub selectors: Vec<String>,
    /// An extra trust anchor for the MTA-STS policy fetch (tests).
    pub ca_file: Option<std::path::PathBuf>,
    /// The HTTPS port of the MTA-STS policy fetch instead of 443 (tests).
    pub https_port: Option<u16>,
}

/// Check `domain` (see the module doc).
pub async fn check(
    resolver: &TokioResolver,
    auth: &MessageAuthenticator,
    domain: &str,
    inputs: &Inputs,
) -> Result<DomainReport> {
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    let mut report = DomainReport {
        domain: domain.clone(),
        user_controlled: user_controlled(&domain),
        findings: Vec::new(),
        dkim_selectors: Vec::new(),
        spf_lookups: 0,
    };
    if !report.user_controlled {
        report.findings.push(finding(
            "domain",
            FindingStatus::Info,
            Words::new(
                format!("{domain} belongs to a mail provider: its DNS records are the provider's to set, not yours."),
                format!("{domain} appartient à un fournisseur de messagerie : ses enregistrements DNS sont gérés par lui, pas par vous."),
            ),
            None,
            None,
        ));
        return Ok(report);
    }
    mx(resolver, &domain, &mut report).await?;
    spf(resolver, auth, &domain, inputs, &mut report).await?;
    dkim(resolver, &domain, inputs, &mut report).await?;
    dmarc(resolver, &domain, &mut report).await?;
    mta_sts(resolver, &domain, inputs, &mut report).await?;
    Ok(report)
}

fn finding(
    topic: &str,
    status: FindingStatus,
    words: Words,
    fix: Option<Words>,
    record: Option<String>,
) -> DomainFinding {
    DomainFinding {
        topic: topic.into(),
        status,
        words,
        fix,
        record,
    }
}

async fn mx(resolver: &TokioResolver, domain: &str, report: &mut DomainReport) -> Result<()> {
    let hosts = dns::mx(resolver, domain).await?;
    let f = if hosts.is_empty() {
        finding(
            "mx",
            FindingStatus::Error,
            Words::new(
                format!("{domain} has no MX record: other servers may refuse mail from it, and replies cannot reach it."),
                format!("{domain} n'a pas d'enregistrement MX : d'autres serveurs peuvent refuser son courrier, et les réponses ne peuvent pas lui parvenir."),
            ),
            Some(Words::new(
                "Add an MX record pointing at your provider's receiving server.",
                "Ajoutez un enregistrement MX qui pointe vers le serveur de réception de votre fournisseur.",
            )),
            None,
        )
    } else if hosts.iter().all(Option::is_none) {
        finding(
            "mx",
            FindingStatus::Warning,
            Words::new(
                format!("{domain} publishes a null MX: it says it receives no mail, and receivers may refuse mail from it."),
                format!("{domain} publie un MX nul : il annonce ne recevoir aucun courrier, et des destinataires peuvent refuser le sien."),
            ),
            Some(Words::new(
                "Replace the null MX with your provider's receiving server if this address should get replies.",
                "Remplacez le MX nul par le serveur de réception de votre fournisseur si cette adresse doit recevoir des réponses.",
            )),
            None,
        )
    } else {
        let list = hosts
            .iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        finding(
            "mx",
            FindingStatus::Ok,
            Words::new(
                format!("Mail for {domain} goes to {list}."),
                format!("Le courrier pour {domain} arrive sur {list}."),
            ),
            None,
            Some(list),
        )
    };
    report.findings.push(f);
    Ok(())
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

async fn spf(
    resolver: &TokioResolver,
    auth: &MessageAuthenticator,
    domain: &str,
    inputs: &Inputs,
    report: &mut DomainReport,
) -> Result<()> {
    let records = dns::txt(resolver, domain).await?;
    let found = spf_records(&records);
    let fix_add = Words::new(
        format!("Publish one TXT record at {domain}: \"v=spf1 include:<your provider's SPF domain> -all\" (your provider documents the include)."),
        format!("Publiez un enregistrement TXT à {domain} : « v=spf1 include:<domaine SPF de votre fournisseur> -all » (votre fournisseur indique l'include)."),
    );
    let record = match found.as_slice() {
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
            return Ok(());
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
            return Ok(());
        }
    };
    let spf = match Spf::parse(record.as_bytes()) {
        Ok(spf) => spf,
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
            return Ok(());
        }
    };
    report.findings.push(finding(
        "spf",
        FindingStatus::Ok,
        Words::new(
            format!("{domain} publishes an SPF record."),
            format!("{domain} publie un enregistrement SPF."),
        ),
        None,
        Some(record.clone()),
    ));

    // The "all" at the end.
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

    // Does it cover the account's submission server?
    if let Some(host) = &inputs.smtp_host {
        let host = host.to_ascii_lowercase();
        let include = SENDING_INCLUDES
            .iter()
            .find(|(suffix, _)| host == *suffix || host.ends_with(&format!(".{suffix}")))
            .map(|(_, include)| *include);
        let covered = match include {
            Some(include) => Some(included.contains(include)),
            None => {
                let ips = dns::addresses(resolver, &host).await?;
                if ips.is_empty() {
                    None
                } else {
                    let caches = Caches::default();
                    let sender = format!("postmaster@{domain}");
                    let mut all_pass = true;
                    for ip in ips {
                        let params =
                            SpfParameters::verify_mail_from(ip, &host, "courriel.invalid", &sender);
                        let out = auth.verify_spf(caches.params(params)).await;
                        all_pass &= out.result() == SpfResult::Pass;
                    }
                    Some(all_pass)
                }
            }
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
    }
    Ok(())
}

async fn dkim(
    resolver: &TokioResolver,
    domain: &str,
    inputs: &Inputs,
    report: &mut DomainReport,
) -> Result<()> {
    let from_mail = !inputs.selectors.is_empty();
    let selectors: Vec<String> = if from_mail {
        inputs.selectors.clone()
    } else {
        COMMON_SELECTORS.iter().map(|s| s.to_string()).collect()
    };
    let mut any = false;
    for selector in &selectors {
        let name = format!("{selector}._domainkey.{domain}");
        let records = dns::txt(resolver, &name).await?;
        let Some(record) = records.into_iter().find(|r| r.contains("p=")) else {
            if from_mail {
                report.findings.push(finding(
                    "dkim",
                    FindingStatus::Error,
                    Words::new(
                        format!("Your sent mail is signed with selector {selector}, but {name} has no key: receivers cannot check the signature."),
                        format!("Votre courrier envoyé est signé avec le sélecteur {selector}, mais {name} n'a pas de clé : les destinataires ne peuvent pas vérifier la signature."),
                    ),
                    Some(Words::new(
                        format!("Publish the public key your provider gives you as a TXT record at {name}."),
                        format!("Publiez la clé publique fournie par votre fournisseur dans un enregistrement TXT à {name}."),
                    )),
                    None,
                ));
            }
            continue;
        };
        any = true;
        report.dkim_selectors.push(selector.clone());
        let p = tag(&record, "p").unwrap_or_default();
        let key_bytes = base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            p.split_whitespace().collect::<String>(),
        )
        .map(|k| k.len())
        .unwrap_or(0);
        let rsa = tag(&record, "k").is_none_or(|k| k.eq_ignore_ascii_case("rsa"));
        let parses = mail_auth::common::verify::DomainKey::parse(record.as_bytes()).is_ok();
        let (status, en, fr, fix) = if p.is_empty() {
            (
                FindingStatus::Warning,
                format!("The key of selector {selector} is revoked (empty p=)."),
                format!("La clé du sélecteur {selector} est révoquée (p= vide)."),
                None,
            )
        } else if !parses {
            (
                FindingStatus::Error,
                format!("The key of selector {selector} does not parse: signatures with it fail."),
                format!("La clé du sélecteur {selector} est illisible : les signatures qui l'utilisent échouent."),
                Some(Words::new("Publish the key again exactly as your provider gives it.", "Republiez la clé exactement comme votre fournisseur la donne.")),
            )
        } else if rsa && key_bytes < 150 {
            (
                FindingStatus::Warning,
                format!("Selector {selector} has an RSA key shorter than 1024 bits: receivers may ignore it."),
                format!("Le sélecteur {selector} a une clé RSA de moins de 1024 bits : des destinataires peuvent l'ignorer."),
                Some(Words::new("Ask your provider for a 2048-bit key.", "Demandez à votre fournisseur une clé de 2048 bits.")),
            )
        } else {
            (
                FindingStatus::Ok,
                format!(
                    "Selector {selector} publishes a DKIM key ({}).",
                    if rsa { "RSA" } else { "Ed25519" }
                ),
                format!(
                    "Le sélecteur {selector} publie une clé DKIM ({}).",
                    if rsa { "RSA" } else { "Ed25519" }
                ),
                None,
            )
        };
        report.findings.push(finding(
            "dkim",
            status,
            Words::new(en, fr),
            fix,
            Some(record),
        ));
    }
    if !any && !from_mail {
        report.findings.push(finding(
            "dkim",
            FindingStatus::Warning,
            Words::new(
                format!("No DKIM key found for {domain} (no signed mail from you cached yet, and no common selector answered)."),
                format!("Aucune clé DKIM trouvée pour {domain} (pas encore de courrier signé de votre part en cache, et aucun sélecteur courant ne répond)."),
            ),
            Some(Words::new(
                "Turn on DKIM signing at your provider and publish the key it gives you; then send yourself a message and check again.",
                "Activez la signature DKIM chez votre fournisseur et publiez la clé qu'il donne ; puis envoyez-vous un message et vérifiez à nouveau.",
            )),
            None,
        ));
    }
    Ok(())
}

/// A `tag=value` of a `;`-separated record.
fn tag(record: &str, name: &str) -> Option<String> {
    record.split(';').find_map(|part| {
        let (k, v) = part.split_once('=')?;
        (k.trim().eq_ignore_ascii_case(name)).then(|| v.trim().to_owned())
    })
}

async fn dmarc(resolver: &TokioResolver, domain: &str, report: &mut DomainReport) -> Result<()> {
    let org = super::org_domain(domain);
    let mut at = domain.to_owned();
    let mut records = dns::txt(resolver, &format!("_dmarc.{domain}")).await?;
    if !records.iter().any(|r| r.starts_with("v=DMARC1")) && org != domain {
        at = org.clone();
        records = dns::txt(resolver, &format!("_dmarc.{org}")).await?;
    }
    let Some(record) = records.into_iter().find(|r| r.starts_with("v=DMARC1")) else {
        report.findings.push(finding(
            "dmarc",
            FindingStatus::Error,
            Words::new(
                format!("{domain} has no DMARC record: anyone can send mail as {domain}, and receivers have no policy to apply."),
                format!("{domain} n'a pas d'enregistrement DMARC : n'importe qui peut envoyer du courrier au nom de {domain}, et les destinataires n'ont aucune politique à appliquer."),
            ),
            Some(Words::new(
                format!("Publish a TXT record at _dmarc.{domain}: \"v=DMARC1; p=none; rua=mailto:dmarc@{domain}\", then move to p=quarantine and p=reject once reports show your mail passes."),
                format!("Publiez un enregistrement TXT à _dmarc.{domain} : « v=DMARC1; p=none; rua=mailto:dmarc@{domain} », puis passez à p=quarantine et p=reject quand les rapports montrent que votre courrier passe."),
            )),
            None,
        ));
        return Ok(());
    };
    let Ok(parsed) = Dmarc::parse(record.as_bytes()) else {
        report.findings.push(finding(
            "dmarc",
            FindingStatus::Error,
            Words::new(
                format!("The DMARC record at _dmarc.{at} does not parse: receivers ignore it."),
                format!("L'enregistrement DMARC de _dmarc.{at} est illisible : les destinataires l'ignorent."),
            ),
            Some(Words::new("Rewrite it as \"v=DMARC1; p=quarantine; rua=mailto:...\".", "Réécrivez-le sous la forme « v=DMARC1; p=quarantine; rua=mailto:... ».")),
            Some(record),
        ));
        return Ok(());
    };
    let (status, en, fr, fix) = match parsed.p {
        Policy::Reject => (
            FindingStatus::Ok,
            "DMARC policy: reject. Mail that fails the checks is refused.".to_owned(),
            "Politique DMARC : reject. Le courrier qui échoue aux vérifications est refusé.".to_owned(),
            None,
        ),
        Policy::Quarantine => (
            FindingStatus::Ok,
            "DMARC policy: quarantine. Mail that fails the checks goes to spam.".to_owned(),
            "Politique DMARC : quarantine. Le courrier qui échoue aux vérifications va en spam.".to_owned(),
            None,
        ),
        _ => (
            FindingStatus::Warning,
            "DMARC policy: none. Receivers only report; mail forged in your name is still delivered.".to_owned(),
            "Politique DMARC : none. Les destinataires se contentent de rapports ; le courrier usurpant votre nom est quand même distribué.".to_owned(),
            Some(Words::new(
                "Once the reports show your own mail passes, change p=none to p=quarantine, then p=reject.",
                "Quand les rapports montrent que votre courrier passe, changez p=none en p=quarantine, puis p=reject.",
            )),
        ),
    };
    let inherited = if at != domain {
        (
            format!(" (inherited from {at})"),
            format!(" (héritée de {at})"),
        )
    } else {
        (String::new(), String::new())
    };
    report.findings.push(finding(
        "dmarc",
        status,
        Words::new(
            format!("{en}{}", inherited.0),
            format!("{fr}{}", inherited.1),
        ),
        fix,
        Some(record.clone()),
    ));
    let strict = |a: &Alignment| matches!(a, Alignment::Strict);
    report.findings.push(finding(
        "dmarc",
        FindingStatus::Info,
        Words::new(
            format!(
                "Alignment: DKIM {}, SPF {} (strict: the signing or sending domain must be exactly the From domain; relaxed: any subdomain of it).",
                if strict(&parsed.adkim) { "strict" } else { "relaxed" },
                if strict(&parsed.aspf) { "strict" } else { "relaxed" },
            ),
            format!(
                "Alignement : DKIM {}, SPF {} (strict : le domaine de signature ou d'envoi doit être exactement celui du From ; relaxed : n'importe lequel de ses sous-domaines).",
                if strict(&parsed.adkim) { "strict" } else { "relaxed" },
                if strict(&parsed.aspf) { "strict" } else { "relaxed" },
            ),
        ),
        None,
        None,
    ));
    if parsed.pct < 100 {
        report.findings.push(finding(
            "dmarc",
            FindingStatus::Warning,
            Words::new(
                format!(
                    "The policy applies to only {}% of failing mail.",
                    parsed.pct
                ),
                format!(
                    "La politique ne s'applique qu'à {} % du courrier en échec.",
                    parsed.pct
                ),
            ),
            Some(Words::new(
                "Remove pct= (or set pct=100).",
                "Retirez pct= (ou mettez pct=100).",
            )),
            None,
        ));
    }
    if parsed.rua.is_empty() {
        report.findings.push(finding(
            "dmarc",
            FindingStatus::Info,
            Words::new(
                "No aggregate reports are asked for (no rua=): you will not see who sends as your domain.",
                "Aucun rapport agrégé n'est demandé (pas de rua=) : vous ne verrez pas qui envoie au nom de votre domaine.",
            ),
            Some(Words::new(
                format!("Add rua=mailto:dmarc@{domain} to the record."),
                format!("Ajoutez rua=mailto:dmarc@{domain} à l'enregistrement."),
            )),
            None,
        ));
    }
    Ok(())
}

async fn mta_sts(
    resolver: &TokioResolver,
    domain: &str,
    inputs: &Inputs,
    report: &mut DomainReport,
) -> Result<()> {
    let sts = dns::txt(resolver, &format!("_mta-sts.{domain}")).await?;
    let sts = sts.into_iter().find(|r| r.starts_with("v=STSv1"));
    let has_sts = match &sts {
        Some(record) if MtaSts::parse(record.as_bytes()).is_ok() => {
            report.findings.push(finding(
                "mta-sts",
                FindingStatus::Ok,
                Words::new(
                    format!("MTA-STS is announced: servers sending to {domain} must use verified TLS (policy at https://mta-sts.{domain}/.well-known/mta-sts.txt)."),
                    format!("MTA-STS est annoncé : les serveurs qui écrivent à {domain} doivent utiliser un TLS vérifié (politique sur https://mta-sts.{domain}/.well-known/mta-sts.txt)."),
                ),
                None,
                Some(record.clone()),
            ));
            sts_policy(resolver, domain, inputs, report).await?;
            true
        }
        Some(record) => {
            report.findings.push(finding(
                "mta-sts",
                FindingStatus::Error,
                Words::new(
                    "The MTA-STS record does not parse.",
                    "L'enregistrement MTA-STS est illisible.",
                ),
                Some(Words::new(
                    "Write it as \"v=STSv1; id=20260101\" (change id= when the policy changes).",
                    "Écrivez-le « v=STSv1; id=20260101 » (changez id= quand la politique change).",
                )),
                Some(record.clone()),
            ));
            false
        }
        None => {
            report.findings.push(finding(
                "mta-sts",
                FindingStatus::Info,
                Words::new(
                    format!("No MTA-STS: mail to {domain} can be downgraded to unencrypted by someone on the path."),
                    format!("Pas de MTA-STS : le courrier vers {domain} peut être ramené à une connexion non chiffrée par quelqu'un sur le chemin."),
                ),
                Some(Words::new(
                    format!("Serve a policy at https://mta-sts.{domain}/.well-known/mta-sts.txt and publish \"v=STSv1; id=1\" at _mta-sts.{domain}."),
                    format!("Servez une politique sur https://mta-sts.{domain}/.well-known/mta-sts.txt et publiez « v=STSv1; id=1 » à _mta-sts.{domain}."),
                )),
                None,
            ));
            false
        }
    };
    let rpt = dns::txt(resolver, &format!("_smtp._tls.{domain}")).await?;
    match rpt.into_iter().find(|r| r.starts_with("v=TLSRPTv1")) {
        Some(record) if TlsRpt::parse(record.as_bytes()).is_ok() => report.findings.push(finding(
            "tls-rpt",
            FindingStatus::Ok,
            Words::new(
                "TLS-RPT is set: senders report TLS failures to you.",
                "TLS-RPT est en place : les expéditeurs vous signalent les échecs TLS.",
            ),
            None,
            Some(record),
        )),
        Some(record) => report.findings.push(finding(
            "tls-rpt",
            FindingStatus::Error,
            Words::new("The TLS-RPT record does not parse.", "L'enregistrement TLS-RPT est illisible."),
            Some(Words::new(
                format!("Write it as \"v=TLSRPTv1; rua=mailto:tls-reports@{domain}\"."),
                format!("Écrivez-le « v=TLSRPTv1; rua=mailto:tls-reports@{domain} »."),
            )),
            Some(record),
        )),
        None => report.findings.push(finding(
            "tls-rpt",
            if has_sts { FindingStatus::Warning } else { FindingStatus::Info },
            Words::new(
                "No TLS-RPT: you will not hear about senders failing to reach you over TLS.",
                "Pas de TLS-RPT : vous ne saurez pas quand des expéditeurs n'arrivent pas à vous joindre en TLS.",
            ),
            Some(Words::new(
                format!("Publish \"v=TLSRPTv1; rua=mailto:tls-reports@{domain}\" at _smtp._tls.{domain}."),
                format!("Publiez « v=TLSRPTv1; rua=mailto:tls-reports@{domain} » à _smtp._tls.{domain}."),
            )),
            None,
        )),
    }
    Ok(())
}

/// DKIM selectors (`s=`) of the DKIM-Signature headers in `raw` signed for `domain`.
pub fn selectors_in(raw: &[u8], domain: &str) -> Vec<String> {
    let Some(msg) = mail_auth::AuthenticatedMessage::parse(raw) else {
        return Vec::new();
    };
    msg.dkim_headers
        .iter()
        .filter_map(|h| h.header.as_ref().ok())
        .filter(|s| s.d.eq_ignore_ascii_case(domain))
        .map(|s| s.s.to_ascii_lowercase())
        .collect()
}

/// An MTA-STS policy file (RFC 8461 §3.2).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct StsPolicy {
    pub version: String,
    pub mode: String,
    pub mx: Vec<String>,
    pub max_age: Option<u64>,
}

pub fn parse_sts_policy(text: &str) -> StsPolicy {
    let mut p = StsPolicy::default();
    for line in text.lines() {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let v = v.trim().to_owned();
        match k.trim() {
            "version" => p.version = v,
            "mode" => p.mode = v,
            "mx" => p.mx.push(v.to_ascii_lowercase()),
            "max_age" => p.max_age = v.parse().ok(),
            _ => {}
        }
    }
    p
}

/// Whether an `mx:` pattern covers `host`: equal, or `*.` standing for one leftmost label.
pub fn sts_mx_matches(pattern: &str, host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        Some(suffix) => host.split_once('.').is_some_and(|(_, rest)| rest == suffix),
        None => host == pattern,
    }
}

/// The policy behind an announced MTA-STS: fetched, parsed, and compared with the MX.
async fn sts_policy(
    resolver: &TokioResolver,
    domain: &str,
    inputs: &Inputs,
    report: &mut DomainReport,
) -> Result<()> {
    let url = format!("https://mta-sts.{domain}/.well-known/mta-sts.txt");
    let fetched = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        crate::autoconfig::https_get(
            resolver,
            inputs.ca_file.as_deref(),
            inputs.https_port.unwrap_or(443),
            &url,
        ),
    )
    .await
    .unwrap_or_else(|_| Err("no answer within 10 s".into()));
    let body = match fetched {
        Ok(body) => String::from_utf8_lossy(&body).into_owned(),
        Err(why) => {
            report.findings.push(finding(
                "mta-sts",
                FindingStatus::Error,
                Words::new(
                    format!("MTA-STS is announced, but its policy could not be fetched from {url} ({why}): senders will not use it."),
                    format!("MTA-STS est annoncé, mais sa politique n'a pas pu être lue sur {url} ({why}) : les expéditeurs ne l'appliqueront pas."),
                ),
                Some(Words::new(
                    format!("Serve the policy at {url} with a valid certificate for mta-sts.{domain}, or remove the _mta-sts record."),
                    format!("Servez la politique sur {url} avec un certificat valide pour mta-sts.{domain}, ou retirez l'enregistrement _mta-sts."),
                )),
                None,
            ));
            return Ok(());
        }
    };
    let policy = parse_sts_policy(&body);
    let record = Some(body.trim().replace("\r\n", "; ").replace('\n', "; "));
    if policy.version != "STSv1" || !["enforce", "testing", "none"].contains(&policy.mode.as_str())
    {
        report.findings.push(finding(
            "mta-sts",
            FindingStatus::Error,
            Words::new(
                "The MTA-STS policy file is not valid (it needs version: STSv1 and mode: enforce, testing or none).",
                "Le fichier de politique MTA-STS n'est pas valide (il faut version: STSv1 et mode: enforce, testing ou none).",
            ),
            Some(Words::new(
                "Write it as lines \"version: STSv1\", \"mode: enforce\", one \"mx: <host>\" per MX, \"max_age: 604800\".",
                "Écrivez-le en lignes « version: STSv1 », « mode: enforce », une ligne « mx: <hôte> » par MX, « max_age: 604800 ».",
            )),
            record,
        ));
        return Ok(());
    }
    let (status, en, fr, fix) = match policy.mode.as_str() {
        "enforce" => (
            FindingStatus::Ok,
            "MTA-STS policy: enforce. Senders deliver to you only over verified TLS.".to_owned(),
            "Politique MTA-STS : enforce. Les expéditeurs ne vous livrent qu'en TLS vérifié.".to_owned(),
            None,
        ),
        mode => (
            FindingStatus::Warning,
            format!("MTA-STS policy: {mode}. Senders report TLS problems but still deliver without it."),
            format!("Politique MTA-STS : {mode}. Les expéditeurs signalent les problèmes TLS mais livrent quand même sans."),
            Some(Words::new(
                "Once TLS reports show no failures, change the mode to enforce (and the id= of the _mta-sts record).",
                "Quand les rapports TLS ne montrent plus d'échec, passez le mode à enforce (et changez l'id= de l'enregistrement _mta-sts).",
            )),
        ),
    };
    report
        .findings
        .push(finding("mta-sts", status, Words::new(en, fr), fix, record));
    let exchangers = dns::mx(resolver, domain).await?;
    let uncovered: Vec<String> = exchangers
        .into_iter()
        .flatten()
        .filter(|host| !policy.mx.iter().any(|p| sts_mx_matches(p, host)))
        .collect();
    if !uncovered.is_empty() {
        let list = uncovered.join(", ");
        report.findings.push(finding(
            "mta-sts",
            FindingStatus::Error,
            Words::new(
                format!("The policy does not list your mail server(s) {list}: senders applying it will refuse to deliver there."),
                format!("La politique ne mentionne pas votre ou vos serveurs {list} : les expéditeurs qui l'appliquent refuseront d'y livrer."),
            ),
            Some(Words::new(
                format!("Add an \"mx: \" line for {list} to the policy file, then change the id= of the _mta-sts record."),
                format!("Ajoutez une ligne « mx: » pour {list} au fichier de politique, puis changez l'id= de l'enregistrement _mta-sts."),
            )),
            None,
        ));
    }
    if policy.max_age.is_some_and(|age| age < 86_400) {
        report.findings.push(finding(
            "mta-sts",
            FindingStatus::Warning,
            Words::new(
                "The policy's max_age is under a day: senders forget it quickly, which weakens it.",
                "Le max_age de la politique est de moins d'un jour : les expéditeurs l'oublient vite, ce qui l'affaiblit.",
            ),
            Some(Words::new("Set max_age to a week or more (604800).", "Mettez max_age à une semaine ou plus (604800).")),
            None,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mta_sts_policies_and_mx_patterns() {
        let p = parse_sts_policy(
            "version: STSv1\r\nmode: enforce\r\nmx: mx.example.test\r\nmx: *.backup.test\r\nmax_age: 604800\r\n",
        );
        assert_eq!(p.mode, "enforce");
        assert_eq!(p.mx, ["mx.example.test", "*.backup.test"]);
        assert_eq!(p.max_age, Some(604_800));
        assert!(sts_mx_matches("*.backup.test", "mx2.backup.test"));
        assert!(!sts_mx_matches("*.backup.test", "a.b.backup.test"));
        assert!(!sts_mx_matches("*.backup.test", "backup.test"));
        assert!(sts_mx_matches("mx.example.test", "MX.example.test."));
    }

    #[test]
    fn provider_domains_are_not_the_users() {
        assert!(!user_controlled("gmail.com"));
        assert!(!user_controlled("Outlook.com."));
        assert!(user_controlled("example.org"));
    }
}
