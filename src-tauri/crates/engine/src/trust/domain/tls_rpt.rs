//! TLS-RPT (RFC 8460): where senders report failing to reach the domain over TLS. Missing
//! is a warning when MTA-STS is announced (its failures would go unheard), else a note.

use hickory_resolver::TokioResolver;
use mail_auth::common::parse::TxtRecordParser;
use mail_auth::mta_sts::TlsRpt;

use super::finding;
use crate::api::{DomainReport, FindingStatus, Words};
use crate::error::Result;
use crate::trust::dns;

pub(super) async fn tls_rpt(
    resolver: &TokioResolver,
    domain: &str,
    has_sts: bool,
    report: &mut DomainReport,
) -> Result<()> {
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
