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
//! One file per concern, each pushing its findings onto the report in the order a reader
//! goes through them: `mx`, `spf` (with the coverage rule), `dkim`, `dmarc`, `mta_sts`
//! (the announcement) and `sts_policy` (the file behind it), `tls_rpt`, and `blocklists`
//! (the sending addresses on the DNS blocklists receivers consult).

pub mod blocklists;
mod dkim;
mod dmarc;
mod mta_sts;
mod mx;
mod spf;
mod sts_policy;
mod tls_rpt;

use hickory_resolver::TokioResolver;
use mail_auth::MessageAuthenticator;

use crate::api::{DomainFinding, DomainReport, FindingStatus, Words};
use crate::error::Result;
use crate::trust::dns;

pub use dkim::selectors_in;
pub use sts_policy::{parse_sts_policy, sts_mx_matches, StsPolicy};

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
    /// The DNS blocklists to ask instead of `blocklists::ZONES` (tests).
    pub blocklist_zones: Vec<String>,
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
    mx::mx(resolver, &domain, &mut report).await?;
    spf::spf(resolver, auth, &domain, inputs, &mut report).await?;
    dkim::dkim(resolver, &domain, inputs, &mut report).await?;
    dmarc::dmarc(resolver, &domain, &mut report).await?;
    let has_sts = mta_sts::mta_sts(resolver, &domain, inputs, &mut report).await?;
    tls_rpt::tls_rpt(resolver, &domain, has_sts, &mut report).await?;
    let txt = dns::txt(resolver, &domain).await.unwrap_or_default();
    let spf_text = txt
        .iter()
        .find(|t| t.to_ascii_lowercase().starts_with("v=spf1"));
    let zones = &inputs.blocklist_zones;
    blocklists::blocklists(
        resolver,
        &domain,
        spf_text.map(String::as_str),
        zones,
        &mut report,
    )
    .await;
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
