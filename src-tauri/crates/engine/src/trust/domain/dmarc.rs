//! DMARC: a record at the domain (or inherited from its organizational domain), its
//! policy, its alignment, the share of mail it applies to, and whether reports are asked.

use hickory_resolver::TokioResolver;
use mail_auth::common::parse::TxtRecordParser;
use mail_auth::dmarc::{Alignment, Dmarc, Policy};

use super::finding;
use crate::api::{DomainFinding, DomainReport, FindingStatus, Words};
use crate::error::Result;
use crate::trust::{dns, org_domain};

pub(super) async fn dmarc(
    resolver: &TokioResolver,
    domain: &str,
    report: &mut DomainReport,
) -> Result<()> {
    let (at, record) = the_record(resolver, domain).await?;
    let Some(record) = record else {
        report.findings.push(missing(domain));
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
    report
        .findings
        .push(policy(&parsed, domain, &at, record.clone()));
    report.findings.push(alignment(&parsed));
    report.findings.extend(partial(&parsed));
    report.findings.extend(no_reports(&parsed, domain));
    Ok(())
}

/// The DMARC record that applies, and where it was found: at the domain, else at its
/// organizational domain.
async fn the_record(resolver: &TokioResolver, domain: &str) -> Result<(String, Option<String>)> {
    let org = org_domain(domain);
    let mut at = domain.to_owned();
    let mut records = dns::txt(resolver, &format!("_dmarc.{domain}")).await?;
    if !records.iter().any(|r| r.starts_with("v=DMARC1")) && org != domain {
        at = org.clone();
        records = dns::txt(resolver, &format!("_dmarc.{org}")).await?;
    }
    let record = records.into_iter().find(|r| r.starts_with("v=DMARC1"));
    Ok((at, record))
}

fn missing(domain: &str) -> DomainFinding {
    finding(
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
    )
}

/// The policy (`p=`), saying when it is inherited from the organizational domain `at`.
fn policy(parsed: &Dmarc, domain: &str, at: &str, record: String) -> DomainFinding {
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
    finding(
        "dmarc",
        status,
        Words::new(
            format!("{en}{}", inherited.0),
            format!("{fr}{}", inherited.1),
        ),
        fix,
        Some(record),
    )
}

/// `adkim=` and `aspf=`, explained.
fn alignment(parsed: &Dmarc) -> DomainFinding {
    let strict = |a: &Alignment| matches!(a, Alignment::Strict);
    finding(
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
    )
}

/// `pct=` under 100: the policy spares some failing mail.
fn partial(parsed: &Dmarc) -> Option<DomainFinding> {
    (parsed.pct < 100).then(|| {
        finding(
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
        )
    })
}

/// No `rua=`: nobody hears who sends as the domain.
fn no_reports(parsed: &Dmarc, domain: &str) -> Option<DomainFinding> {
    parsed.rua.is_empty().then(|| {
        finding(
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
        )
    })
}
