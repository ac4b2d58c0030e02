//! The MTA-STS policy file behind an announcement (RFC 8461 §3.2): fetched over HTTPS,
//! parsed, its mode explained, and compared with the MX records (a policy that does not
//! list the domain's own MX makes senders refuse to deliver there).

use hickory_resolver::TokioResolver;

use super::{finding, Inputs};
use crate::api::{DomainFinding, DomainReport, FindingStatus, Words};
use crate::error::Result;
use crate::trust::dns;

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
pub(super) async fn sts_policy(
    resolver: &TokioResolver,
    domain: &str,
    inputs: &Inputs,
    report: &mut DomainReport,
) -> Result<()> {
    let Some(body) = fetch(resolver, domain, inputs, report).await else {
        return Ok(());
    };
    let policy = parse_sts_policy(&body);
    let record = Some(body.trim().replace("\r\n", "; ").replace('\n', "; "));
    if policy.version != "STSv1" || !["enforce", "testing", "none"].contains(&policy.mode.as_str())
    {
        report.findings.push(invalid(record));
        return Ok(());
    }
    report.findings.push(mode(&policy, record));
    let exchangers = dns::mx(resolver, domain).await?;
    let uncovered: Vec<String> = exchangers
        .into_iter()
        .flatten()
        .filter(|host| !policy.mx.iter().any(|p| sts_mx_matches(p, host)))
        .collect();
    if !uncovered.is_empty() {
        report.findings.push(mx_not_listed(&uncovered.join(", ")));
    }
    if policy.max_age.is_some_and(|age| age < 86_400) {
        report.findings.push(short_max_age());
    }
    Ok(())
}

/// The policy file's text; a fetch that fails (10 s at most) is reported and gives `None`.
async fn fetch(
    resolver: &TokioResolver,
    domain: &str,
    inputs: &Inputs,
    report: &mut DomainReport,
) -> Option<String> {
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
    match fetched {
        Ok(body) => Some(String::from_utf8_lossy(&body).into_owned()),
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
            None
        }
    }
}

fn invalid(record: Option<String>) -> DomainFinding {
    finding(
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
    )
}

/// `enforce` protects; `testing` and `none` only report.
fn mode(policy: &StsPolicy, record: Option<String>) -> DomainFinding {
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
    finding("mta-sts", status, Words::new(en, fr), fix, record)
}

fn mx_not_listed(list: &str) -> DomainFinding {
    finding(
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
    )
}

fn short_max_age() -> DomainFinding {
    finding(
        "mta-sts",
        FindingStatus::Warning,
        Words::new(
            "The policy's max_age is under a day: senders forget it quickly, which weakens it.",
            "Le max_age de la politique est de moins d'un jour : les expéditeurs l'oublient vite, ce qui l'affaiblit.",
        ),
        Some(Words::new("Set max_age to a week or more (604800).", "Mettez max_age à une semaine ou plus (604800).")),
        None,
    )
}
