//! MTA-STS (RFC 8461), the announcement: the `_mta-sts` TXT record. When it is there and
//! parses, the policy file behind it is checked too ([`super::sts_policy`]).

use hickory_resolver::TokioResolver;
use mail_auth::common::parse::TxtRecordParser;
use mail_auth::mta_sts::MtaSts;

use super::{finding, sts_policy, Inputs};
use crate::api::{DomainFinding, DomainReport, FindingStatus, Words};
use crate::error::Result;
use crate::trust::dns;

/// Check the announcement (and its policy); whether MTA-STS is announced, which makes a
/// missing TLS-RPT matter more.
pub(super) async fn mta_sts(
    resolver: &TokioResolver,
    domain: &str,
    inputs: &Inputs,
    report: &mut DomainReport,
) -> Result<bool> {
    let sts = dns::txt(resolver, &format!("_mta-sts.{domain}")).await?;
    let sts = sts.into_iter().find(|r| r.starts_with("v=STSv1"));
    match &sts {
        Some(record) if MtaSts::parse(record.as_bytes()).is_ok() => {
            report.findings.push(announced(domain, record));
            sts_policy::sts_policy(resolver, domain, inputs, report).await?;
            Ok(true)
        }
        Some(record) => {
            report.findings.push(unparsable(record));
            Ok(false)
        }
        None => {
            report.findings.push(not_announced(domain));
            Ok(false)
        }
    }
}

fn announced(domain: &str, record: &str) -> DomainFinding {
    finding(
        "mta-sts",
        FindingStatus::Ok,
        Words::new(
            format!("MTA-STS is announced: servers sending to {domain} must use verified TLS (policy at https://mta-sts.{domain}/.well-known/mta-sts.txt)."),
            format!("MTA-STS est annoncé : les serveurs qui écrivent à {domain} doivent utiliser un TLS vérifié (politique sur https://mta-sts.{domain}/.well-known/mta-sts.txt)."),
        ),
        None,
        Some(record.to_owned()),
    )
}

fn unparsable(record: &str) -> DomainFinding {
    finding(
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
        Some(record.to_owned()),
    )
}

fn not_announced(domain: &str) -> DomainFinding {
    finding(
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
    )
}
