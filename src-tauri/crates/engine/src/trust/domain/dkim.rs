//! DKIM: the keys behind the selectors the user's sent mail is signed with (or, before any
//! signed mail is cached, the common selectors), each one present, parseable and long
//! enough.

use hickory_resolver::TokioResolver;
use mail_auth::common::parse::TxtRecordParser;

use super::{finding, Inputs};
use crate::api::{DomainFinding, DomainReport, FindingStatus, Words};
use crate::error::Result;
use crate::trust::dns;

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

pub(super) async fn dkim(
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
                report.findings.push(missing_key(selector, &name));
            }
            continue;
        };
        any = true;
        report.dkim_selectors.push(selector.clone());
        report.findings.push(key_finding(selector, record));
    }
    if !any && !from_mail {
        report.findings.push(no_key_found(domain));
    }
    Ok(())
}

/// The user's mail names `selector`, but DNS has no key for it.
fn missing_key(selector: &str, name: &str) -> DomainFinding {
    finding(
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
    )
}

/// No signed mail cached yet, and none of the common selectors answered.
fn no_key_found(domain: &str) -> DomainFinding {
    finding(
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
    )
}

/// What the key published for `selector` is worth: revoked, unreadable, too short, or fine.
fn key_finding(selector: &str, record: String) -> DomainFinding {
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
        let kind = if rsa { "RSA" } else { "Ed25519" };
        (
            FindingStatus::Ok,
            format!("Selector {selector} publishes a DKIM key ({kind})."),
            format!("Le sélecteur {selector} publie une clé DKIM ({kind})."),
            None,
        )
    };
    finding("dkim", status, Words::new(en, fr), fix, Some(record))
}

/// A `tag=value` of a `;`-separated record.
fn tag(record: &str, name: &str) -> Option<String> {
    record.split(';').find_map(|part| {
        let (k, v) = part.split_once('=')?;
        (k.trim().eq_ignore_ascii_case(name)).then(|| v.trim().to_owned())
    })
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
